import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddIdempotencyRecords1795442650449 implements MigrationInterface {
  name = 'AddIdempotencyRecords1795442650449';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "idempotency_record" (
        "scope" text NOT NULL,
        "key" text NOT NULL,
        "request_sha256" character(64) NOT NULL,
        "status_code" integer,
        "response_body" jsonb,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("scope", "key")
      )`);
    await queryRunner.query(
      `CREATE INDEX "idempotency_record_created_idx" ON "idempotency_record" ("created_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idempotency_record"`);
  }
}
