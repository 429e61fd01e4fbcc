import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An Idempotency-Key claim holds a short lease, renewed while its request runs. */
export class IdempotencyLease1796200000000 implements MigrationInterface {
  name = 'IdempotencyLease1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "idempotency_record" ADD "lease_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_record" DROP COLUMN "lease_expires_at"`);
  }
}
