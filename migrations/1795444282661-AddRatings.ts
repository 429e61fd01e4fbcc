import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddRatings1795444282661 implements MigrationInterface {
  name = 'AddRatings1795444282661';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "indicator_rating" ("case_id" uuid NOT NULL, "indicator_code" text NOT NULL, "rating" text NOT NULL, "justification" text, "evidence_ids" uuid array NOT NULL DEFAULT \'{}\', "version" integer NOT NULL, "rated_by" uuid NOT NULL, "rated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "indicator_rating_pkey" PRIMARY KEY ("case_id", "indicator_code"))',
    );
    await queryRunner.query(
      'ALTER TABLE "indicator_rating" ADD CONSTRAINT "indicator_rating_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "indicator_rating" ADD CONSTRAINT "indicator_rating_rated_by_fk" FOREIGN KEY ("rated_by") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "indicator_rating" DROP CONSTRAINT "indicator_rating_rated_by_fk"');
    await queryRunner.query('ALTER TABLE "indicator_rating" DROP CONSTRAINT "indicator_rating_case_fk"');
    await queryRunner.query('DROP TABLE "indicator_rating"');
  }
}
