import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case list of a rater or committee member at the size of the whole field. Their visibility is a
 * join (the case submitted to their body AND a team row for them), which no index on either table can
 * answer: a lead rater on 25,000 cases paid a hash join of all of them per page and per total. So each
 * team row gets a shadow row in `case_team_list` with what the list narrows and orders by (the case's
 * certification body, status, submission and updated_at), kept by triggers in the same transaction as the
 * change, and the caller's page and total are read from one index range of it.
 *
 * The shadow row follows its team row by foreign key (deleted or re-keyed with it) and is copied from
 * the case when the team row is inserted; every update of the case's listed columns is copied to the
 * case's shadow rows. The list still checks each page row against the case itself (see CaseQueriesService).
 */
export class CaseTeamList1798100000000 implements MigrationInterface {
  name = 'CaseTeamList1798100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "case_team_list" (
         "case_id" uuid NOT NULL,
         "user_id" uuid NOT NULL,
         "certifier_id" uuid NOT NULL,
         "status" text NOT NULL,
         "is_submitted" boolean NOT NULL,
         "updated_at" timestamptz NOT NULL,
         CONSTRAINT "case_team_list_pkey" PRIMARY KEY ("case_id", "user_id"),
         CONSTRAINT "case_team_list_member_fk" FOREIGN KEY ("case_id", "user_id")
           REFERENCES "case_team_member" ("case_id", "user_id") ON DELETE CASCADE ON UPDATE CASCADE
       )`,
    );
    await queryRunner.query(
      `INSERT INTO "case_team_list" ("case_id", "user_id", "certifier_id", "status", "is_submitted", "updated_at")
       SELECT m.case_id, m.user_id, c.certifier_id, c.status, c.submitted_at IS NOT NULL, c.updated_at
         FROM "case_team_member" m JOIN "certification_case" c ON c.id = m.case_id`,
    );
    await queryRunner.query(
      `CREATE INDEX "case_team_list_idx" ON "case_team_list" ("user_id", "certifier_id", "updated_at" DESC, "case_id")
       WHERE "is_submitted"`,
    );
    await queryRunner.query(
      `CREATE INDEX "case_team_list_status_idx"
       ON "case_team_list" ("user_id", "certifier_id", "status", "updated_at" DESC, "case_id") WHERE "is_submitted"`,
    );
    await queryRunner.query(
      `CREATE FUNCTION "case_team_list_add_member"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO case_team_list (case_id, user_id, certifier_id, status, is_submitted, updated_at)
         SELECT c.id, NEW.user_id, c.certifier_id, c.status, c.submitted_at IS NOT NULL, c.updated_at
           FROM certification_case c WHERE c.id = NEW.case_id
         ON CONFLICT (case_id, user_id) DO NOTHING;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "case_team_list_add_member" AFTER INSERT ON "case_team_member"
       FOR EACH ROW EXECUTE FUNCTION "case_team_list_add_member"()`,
    );
    await queryRunner.query(
      `CREATE FUNCTION "case_team_list_follow_case"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE case_team_list
            SET certifier_id = NEW.certifier_id, status = NEW.status, is_submitted = NEW.submitted_at IS NOT NULL,
                updated_at = NEW.updated_at
          WHERE case_id = NEW.id;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "case_team_list_follow_case" AFTER UPDATE ON "certification_case" FOR EACH ROW
       WHEN (OLD.certifier_id IS DISTINCT FROM NEW.certifier_id OR OLD.status IS DISTINCT FROM NEW.status
             OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at OR OLD.updated_at IS DISTINCT FROM NEW.updated_at)
       EXECUTE FUNCTION "case_team_list_follow_case"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "case_team_list_follow_case" ON "certification_case"');
    await queryRunner.query('DROP FUNCTION "case_team_list_follow_case"()');
    await queryRunner.query('DROP TRIGGER "case_team_list_add_member" ON "case_team_member"');
    await queryRunner.query('DROP FUNCTION "case_team_list_add_member"()');
    await queryRunner.query('DROP TABLE "case_team_list"');
  }
}
