import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddEvidence1795444045782 implements MigrationInterface {
  name = 'AddEvidence1795444045782';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "evidence_item" ("id" uuid NOT NULL, "case_id" uuid NOT NULL, "title" text NOT NULL, "description" text, "version" integer NOT NULL DEFAULT \'1\', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, "deleted_by" uuid, CONSTRAINT "evidence_item_version_check" CHECK ("version" >= 1), CONSTRAINT "evidence_item_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "evidence_item_case_idx" ON "evidence_item" ("case_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "evidence_indicator" ("evidence_id" uuid NOT NULL, "indicator_code" text NOT NULL, CONSTRAINT "evidence_indicator_pkey" PRIMARY KEY ("evidence_id", "indicator_code"))',
    );
    await queryRunner.query(
      'CREATE INDEX "evidence_indicator_code_idx" ON "evidence_indicator" ("indicator_code") ',
    );
    await queryRunner.query(
      'CREATE TABLE "evidence_request" ("id" uuid NOT NULL, "case_id" uuid NOT NULL, "indicator_codes" text array NOT NULL, "description" text NOT NULL, "due_on" date NOT NULL, "requested_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "evidence_request_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "evidence_request_case_idx" ON "evidence_request" ("case_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "evidence_version" ("id" uuid NOT NULL, "evidence_id" uuid NOT NULL, "version_number" integer NOT NULL, "storage_key" text NOT NULL, "file_name" text NOT NULL, "content_type" text NOT NULL, "size" bigint NOT NULL, "sha256" character(64) NOT NULL, "uploaded_by" uuid NOT NULL, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "evidence_version_storage_key_unique" UNIQUE ("storage_key"), CONSTRAINT "evidence_version_number_unique" UNIQUE ("evidence_id", "version_number"), CONSTRAINT "evidence_version_sha256_check" CHECK ("sha256" ~ \'^[0-9a-f]{64}$\'), CONSTRAINT "evidence_version_size_check" CHECK ("size" >= 0), CONSTRAINT "evidence_version_number_check" CHECK ("version_number" >= 1), CONSTRAINT "evidence_version_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "evidence_request_fulfilment" ("request_id" uuid NOT NULL, "version_id" uuid NOT NULL, "evidence_id" uuid NOT NULL, "linked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "evidence_request_fulfilment_pkey" PRIMARY KEY ("request_id", "version_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "evidence_request_fulfilment_evidence_idx" ON "evidence_request_fulfilment" ("evidence_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_item" ADD CONSTRAINT "evidence_item_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_item" ADD CONSTRAINT "evidence_item_creator_fk" FOREIGN KEY ("created_by") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_item" ADD CONSTRAINT "evidence_item_deleter_fk" FOREIGN KEY ("deleted_by") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_indicator" ADD CONSTRAINT "evidence_indicator_evidence_fk" FOREIGN KEY ("evidence_id") REFERENCES "evidence_item"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_request" ADD CONSTRAINT "evidence_request_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_request" ADD CONSTRAINT "evidence_request_requester_fk" FOREIGN KEY ("requested_by") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_version" ADD CONSTRAINT "evidence_version_evidence_fk" FOREIGN KEY ("evidence_id") REFERENCES "evidence_item"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_version" ADD CONSTRAINT "evidence_version_uploader_fk" FOREIGN KEY ("uploaded_by") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_request_fulfilment" ADD CONSTRAINT "evidence_request_fulfilment_request_fk" FOREIGN KEY ("request_id") REFERENCES "evidence_request"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_request_fulfilment" ADD CONSTRAINT "evidence_request_fulfilment_evidence_fk" FOREIGN KEY ("evidence_id") REFERENCES "evidence_item"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_request_fulfilment" ADD CONSTRAINT "evidence_request_fulfilment_version_fk" FOREIGN KEY ("version_id") REFERENCES "evidence_version"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "evidence_request_fulfilment" DROP CONSTRAINT "evidence_request_fulfilment_version_fk"',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_request_fulfilment" DROP CONSTRAINT "evidence_request_fulfilment_evidence_fk"',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_request_fulfilment" DROP CONSTRAINT "evidence_request_fulfilment_request_fk"',
    );
    await queryRunner.query('ALTER TABLE "evidence_version" DROP CONSTRAINT "evidence_version_uploader_fk"');
    await queryRunner.query('ALTER TABLE "evidence_version" DROP CONSTRAINT "evidence_version_evidence_fk"');
    await queryRunner.query('ALTER TABLE "evidence_request" DROP CONSTRAINT "evidence_request_requester_fk"');
    await queryRunner.query('ALTER TABLE "evidence_request" DROP CONSTRAINT "evidence_request_case_fk"');
    await queryRunner.query(
      'ALTER TABLE "evidence_indicator" DROP CONSTRAINT "evidence_indicator_evidence_fk"',
    );
    await queryRunner.query('ALTER TABLE "evidence_item" DROP CONSTRAINT "evidence_item_deleter_fk"');
    await queryRunner.query('ALTER TABLE "evidence_item" DROP CONSTRAINT "evidence_item_creator_fk"');
    await queryRunner.query('ALTER TABLE "evidence_item" DROP CONSTRAINT "evidence_item_case_fk"');
    await queryRunner.query('DROP INDEX "public"."evidence_request_fulfilment_evidence_idx"');
    await queryRunner.query('DROP TABLE "evidence_request_fulfilment"');
    await queryRunner.query('DROP TABLE "evidence_version"');
    await queryRunner.query('DROP INDEX "public"."evidence_request_case_idx"');
    await queryRunner.query('DROP TABLE "evidence_request"');
    await queryRunner.query('DROP INDEX "public"."evidence_indicator_code_idx"');
    await queryRunner.query('DROP TABLE "evidence_indicator"');
    await queryRunner.query('DROP INDEX "public"."evidence_item_case_idx"');
    await queryRunner.query('DROP TABLE "evidence_item"');
  }
}
