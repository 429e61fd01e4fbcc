import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counters shared by every API instance: failed logins (per account and client, per client) and the
 * general request budget (per user, per client, per route class).
 */
export class AddRateCounters1796400200000 implements MigrationInterface {
  name = 'AddRateCounters1796400200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "login_throttle" (
        "key" text NOT NULL,
        "failures" integer NOT NULL,
        "last_failure_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "blocked_until" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
      )`,
    );
    await queryRunner.query(
      `CREATE TABLE "rate_limit_counter" (
        "key" text NOT NULL,
        "points" integer NOT NULL,
        "resets_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "rate_limit_counter_pkey" PRIMARY KEY ("key")
      )`,
    );
    await queryRunner.query(
      'CREATE INDEX "rate_limit_counter_resets_idx" ON "rate_limit_counter" ("resets_at") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "rate_limit_counter"');
    await queryRunner.query('DROP TABLE "login_throttle"');
  }
}
