import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSelfAssessment1795443614735 implements MigrationInterface {
  name = 'AddSelfAssessment1795443614735';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "self_assessment_answer" (
        "case_id" uuid NOT NULL,
        "indicator_code" text NOT NULL,
        "edition_id" text NOT NULL,
        "rating" text NOT NULL,
        "comment" text,
        "updated_by" uuid NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "self_assessment_answer_pkey" PRIMARY KEY ("case_id", "indicator_code"),
        CONSTRAINT "self_assessment_answer_case_fk" FOREIGN KEY ("case_id")
          REFERENCES "certification_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "self_assessment_answer"`);
  }
}
