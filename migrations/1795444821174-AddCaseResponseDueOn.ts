import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddCaseResponseDueOn1795444821174 implements MigrationInterface {
  name = 'AddCaseResponseDueOn1795444821174';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "certification_case" ADD "response_due_on" date');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "response_due_on"');
  }
}
