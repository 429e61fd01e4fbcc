import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A real committee: the certifier's quorum, the chair of a case's committee, the referral round, the
 * members' versioned votes, and the dissent recorded with a sealed decision.
 */
export class CommitteeVotes1796800000000 implements MigrationInterface {
  name = 'CommitteeVotes1796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "organization" ADD "committee_quorum" integer NOT NULL DEFAULT 2 CONSTRAINT "organization_committee_quorum_check" CHECK ("committee_quorum" BETWEEN 1 AND 15)',
    );
    await queryRunner.query(
      'ALTER TABLE "certification_case" ADD "committee_chair_id" uuid CONSTRAINT "certification_case_committee_chair_fk" REFERENCES "user_account"("id") ON DELETE RESTRICT',
    );
    await queryRunner.query(
      'ALTER TABLE "certification_case" ADD "committee_round" integer NOT NULL DEFAULT 0',
    );
    await queryRunner.query(
      `CREATE TABLE "committee_vote" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "case_id" uuid NOT NULL,
        "round" integer NOT NULL,
        "voter_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "outcome" text NOT NULL,
        "level" text,
        "rationale" text NOT NULL,
        "cast_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "committee_vote_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "committee_vote_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE RESTRICT,
        CONSTRAINT "committee_vote_voter_fk" FOREIGN KEY ("voter_id") REFERENCES "user_account"("id") ON DELETE RESTRICT,
        CONSTRAINT "committee_vote_outcome_check" CHECK ("outcome" IN ('certified', 'not_certified')),
        CONSTRAINT "committee_vote_version_key" UNIQUE ("case_id", "round", "voter_id", "version")
      )`,
    );
    await queryRunner.query('ALTER TABLE "case_decision" ADD "dissent_count" integer NOT NULL DEFAULT 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "case_decision" DROP COLUMN "dissent_count"');
    await queryRunner.query('DROP TABLE "committee_vote"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "committee_round"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "committee_chair_id"');
    await queryRunner.query('ALTER TABLE "organization" DROP COLUMN "committee_quorum"');
  }
}
