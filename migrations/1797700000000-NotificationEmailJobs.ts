import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notification e-mail goes out through pg-boss jobs: a pending row becomes `queued` when its job (whose
 * id is the notification's) is inserted, in the same transaction. pg-boss keeps its own schema.
 */
export class NotificationEmailJobs1797700000000 implements MigrationInterface {
  name = 'NotificationEmailJobs1797700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "notification" DROP CONSTRAINT "notification_email_status_check"');
    await queryRunner.query(
      "ALTER TABLE \"notification\" ADD CONSTRAINT \"notification_email_status_check\" CHECK (\"email_status\" IN ('pending', 'queued', 'sent', 'failed', 'skipped'))",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'UPDATE "notification" SET "email_status" = \'pending\' WHERE "email_status" = \'queued\'',
    );
    await queryRunner.query('ALTER TABLE "notification" DROP CONSTRAINT "notification_email_status_check"');
    await queryRunner.query(
      "ALTER TABLE \"notification\" ADD CONSTRAINT \"notification_email_status_check\" CHECK (\"email_status\" IN ('pending', 'sent', 'failed', 'skipped'))",
    );
  }
}
