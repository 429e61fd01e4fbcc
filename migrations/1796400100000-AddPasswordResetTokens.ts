import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One-time password reset tokens issued by an admin, stored as their SHA-256 only. */
export class AddPasswordResetTokens1796400100000 implements MigrationInterface {
  name = 'AddPasswordResetTokens1796400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "password_reset_token" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "token_hash" character(64) NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "issued_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "password_reset_token_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "password_reset_token_user_fk" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE
      )`,
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "password_reset_token_hash_key" ON "password_reset_token" ("token_hash") ',
    );
    await queryRunner.query(
      'CREATE INDEX "password_reset_token_user_idx" ON "password_reset_token" ("user_id") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "password_reset_token"');
  }
}
