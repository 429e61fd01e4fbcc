import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A row per login (refresh-token family): access tokens name it, and revoking it ends them at once. */
export class AddUserSessions1796400000000 implements MigrationInterface {
  name = 'AddUserSessions1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "user_session" (
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "user_agent" text,
        "client_address" text,
        "authentication_methods" text NOT NULL DEFAULT 'pwd',
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "revoked_reason" text,
        CONSTRAINT "user_session_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "user_session_user_fk" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE
      )`,
    );
    await queryRunner.query('CREATE INDEX "user_session_user_idx" ON "user_session" ("user_id") ');
    // Logins made before this migration become sessions, so that their tokens keep a session to name.
    await queryRunner.query(
      `INSERT INTO "user_session" ("id", "user_id", "created_at", "last_used_at", "revoked_at")
       SELECT "family_id", min("user_id"::text)::uuid, min("created_at"), max("created_at"),
              CASE WHEN bool_and("revoked_at" IS NOT NULL) THEN max("revoked_at") END
       FROM "refresh_token" GROUP BY "family_id"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."user_session_user_idx"');
    await queryRunner.query('DROP TABLE "user_session"');
  }
}
