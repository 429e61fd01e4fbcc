import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES_BEFORE = `'draft', 'submitted', 'desk_review', 'onsite', 'findings_issued', 'committee_review', 'decided', 'under_appeal', 'closed', 'declined', 'withdrawn'`;

/**
 * Appeals as the schemes run them (an answer due 14 days after the appeal, an escalation to the
 * secretariat with its own status, indicators reopened for a re-rating) and the certification body's
 * desk-review exits (a postponement date, the confidential pre-assessment flag).
 */
export class AppealsEscalationAndDeskExits1796800100000 implements MigrationInterface {
  name = 'AppealsEscalationAndDeskExits1796800100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "certification_case" DROP CONSTRAINT "certification_case_status_check"',
    );
    await queryRunner.query(
      `ALTER TABLE "certification_case" ADD CONSTRAINT "certification_case_status_check" CHECK ("status" IN (${STATUSES_BEFORE}, 'under_escalation'))`,
    );
    await queryRunner.query('ALTER TABLE "certification_case" ADD "appeal_response_due_on" date');
    await queryRunner.query('ALTER TABLE "certification_case" ADD "escalation_due_on" date');
    await queryRunner.query('ALTER TABLE "certification_case" ADD "reopened_indicator_codes" text array');
    await queryRunner.query('ALTER TABLE "certification_case" ADD "postponed_until" date');
    await queryRunner.query(
      'ALTER TABLE "certification_case" ADD "is_pre_assessment" boolean NOT NULL DEFAULT false',
    );
    await queryRunner.query('ALTER TABLE "case_appeal" ADD "escalation" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "case_appeal" DROP COLUMN "escalation"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "is_pre_assessment"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "postponed_until"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "reopened_indicator_codes"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "escalation_due_on"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "appeal_response_due_on"');
    await queryRunner.query(
      `UPDATE "certification_case" SET "status" = 'decided' WHERE "status" = 'under_escalation'`,
    );
    await queryRunner.query(
      'ALTER TABLE "certification_case" DROP CONSTRAINT "certification_case_status_check"',
    );
    await queryRunner.query(
      `ALTER TABLE "certification_case" ADD CONSTRAINT "certification_case_status_check" CHECK ("status" IN (${STATUSES_BEFORE}))`,
    );
  }
}
