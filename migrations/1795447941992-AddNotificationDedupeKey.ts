import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddNotificationDedupeKey1795447941992 implements MigrationInterface {
  name = 'AddNotificationDedupeKey1795447941992';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "notification" ADD "dedupe_key" text');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "notification_dedupe_key" ON "notification" ("dedupe_key") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."notification_dedupe_key"');
    await queryRunner.query('ALTER TABLE "notification" DROP COLUMN "dedupe_key"');
  }
}
