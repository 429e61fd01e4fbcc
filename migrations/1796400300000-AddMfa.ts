import type { MigrationInterface, QueryRunner } from 'typeorm';

/** TOTP second factor: the encrypted secret, the last accepted time step, and hashed recovery codes. */
export class AddMfa1796400300000 implements MigrationInterface {
  name = 'AddMfa1796400300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "user_account" ADD "mfa_secret" text');
    await queryRunner.query('ALTER TABLE "user_account" ADD "mfa_pending_secret" text');
    await queryRunner.query('ALTER TABLE "user_account" ADD "mfa_enabled_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "user_account" ADD "mfa_last_time_step" bigint');
    await queryRunner.query(
      `CREATE TABLE "mfa_recovery_code" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "code_hash" character(64) NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "mfa_recovery_code_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "mfa_recovery_code_user_fk" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE
      )`,
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "mfa_recovery_code_user_hash_key" ON "mfa_recovery_code" ("user_id", "code_hash") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "mfa_recovery_code"');
    await queryRunner.query('ALTER TABLE "user_account" DROP COLUMN "mfa_last_time_step"');
    await queryRunner.query('ALTER TABLE "user_account" DROP COLUMN "mfa_enabled_at"');
    await queryRunner.query('ALTER TABLE "user_account" DROP COLUMN "mfa_pending_secret"');
    await queryRunner.query('ALTER TABLE "user_account" DROP COLUMN "mfa_secret"');
  }
}
