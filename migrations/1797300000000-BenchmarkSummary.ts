import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The benchmarks' summary: every anonymisable cell (pass rates, time in each state, findings) of every
 * scope the dashboards show, rebuilt as a whole by `BenchmarkSummaryService.refresh`, and when it was.
 */
export class BenchmarkSummary1797300000000 implements MigrationInterface {
  name = 'BenchmarkSummary1797300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "benchmark_cell" (
        "measure" text NOT NULL,
        "grouping_by" text NOT NULL,
        "group_key" text NOT NULL,
        "indicator_code" text NOT NULL DEFAULT '',
        "scope_kind" text NOT NULL,
        "scope_value" text NOT NULL DEFAULT '',
        "edition_id" text NOT NULL DEFAULT '',
        "institutions" integer NOT NULL,
        "count" integer NOT NULL,
        "passed" integer,
        "average_days" numeric(12, 2),
        CONSTRAINT "benchmark_cell_measure_check" CHECK ("measure" IN ('pass_rate', 'state_time', 'finding')),
        CONSTRAINT "benchmark_cell_scope_kind_check" CHECK ("scope_kind" IN ('field', 'certifier', 'country'))
      )`);
    await queryRunner.query(
      `CREATE INDEX "benchmark_cell_scope_idx"
         ON "benchmark_cell" ("scope_kind", "scope_value", "edition_id", "measure", "grouping_by")`,
    );
    await queryRunner.query(`
      CREATE TABLE "benchmark_refresh" (
        "id" boolean NOT NULL DEFAULT true,
        "refreshed_at" timestamptz NOT NULL,
        "duration_ms" integer NOT NULL,
        "decided_cases" integer NOT NULL,
        CONSTRAINT "benchmark_refresh_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "benchmark_refresh_single_row" CHECK ("id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "benchmark_refresh"');
    await queryRunner.query('DROP TABLE "benchmark_cell"');
  }
}
