import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddNotifications1795446722084 implements MigrationInterface {
  name = 'AddNotifications1795446722084';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "notification" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "kind" text NOT NULL, "case_id" uuid, "title" text NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "notification_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "notification_user_idx" ON "notification" ("user_id", "created_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "notification" ADD CONSTRAINT "notification_user_fk" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "notification" DROP CONSTRAINT "notification_user_fk"');
    await queryRunner.query('DROP INDEX "public"."notification_user_idx"');
    await queryRunner.query('DROP TABLE "notification"');
  }
}
