import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A rater's or committee member's cases: `case_team_member_user_idx` on (user_id, case_id) instead of
 * (user_id) alone, so that the case list's visibility test (EXISTS a team row for the caller) and its
 * count read the caller's case ids from the index only, without visiting the table (25,000 rows for a
 * lead rater at the size of the whole field).
 */
export class IndexTeamMemberCases1797600000001 implements MigrationInterface {
  name = 'IndexTeamMemberCases1797600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "case_team_member_user_idx"');
    await queryRunner.query(
      'CREATE INDEX "case_team_member_user_idx" ON "case_team_member" ("user_id", "case_id")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "case_team_member_user_idx"');
    await queryRunner.query('CREATE INDEX "case_team_member_user_idx" ON "case_team_member" ("user_id")');
  }
}
