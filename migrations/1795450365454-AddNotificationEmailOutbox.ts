import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddNotificationEmailOutbox1795450365454 implements MigrationInterface {
  name = 'AddNotificationEmailOutbox1795450365454';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "notification" ADD "email_status" text NOT NULL DEFAULT \'pending\'',
    );
    await queryRunner.query('ALTER TABLE "notification" ADD "email_attempts" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query(
      'ALTER TABLE "notification" ADD "email_next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
    await queryRunner.query('ALTER TABLE "notification" ADD "emailed_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "notification" ADD "email_error" text');
    // Notifications written before e-mail existed are not sent now, possibly months late.
    await queryRunner.query('UPDATE "notification" SET "email_status" = \'skipped\'');
    await queryRunner.query(
      'CREATE INDEX "notification_email_due_idx" ON "notification" ("email_next_attempt_at") WHERE "email_status" = \'pending\'',
    );
    await queryRunner.query(
      "ALTER TABLE \"notification\" ADD CONSTRAINT \"notification_email_status_check\" CHECK (\"email_status\" IN ('pending', 'sent', 'failed', 'skipped'))",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "notification" DROP CONSTRAINT "notification_email_status_check"');
    await queryRunner.query('DROP INDEX "public"."notification_email_due_idx"');
    await queryRunner.query('ALTER TABLE "notification" DROP COLUMN "email_error"');
    await queryRunner.query('ALTER TABLE "notification" DROP COLUMN "emailed_at"');
    await queryRunner.query('ALTER TABLE "notification" DROP COLUMN "email_next_attempt_at"');
    await queryRunner.query('ALTER TABLE "notification" DROP COLUMN "email_attempts"');
    await queryRunner.query('ALTER TABLE "notification" DROP COLUMN "email_status"');
  }
}
