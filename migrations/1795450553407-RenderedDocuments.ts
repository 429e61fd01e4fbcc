import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RenderedDocuments1795450553407 implements MigrationInterface {
  name = 'RenderedDocuments1795450553407';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "rendered_document" ("input_sha256" character(64) NOT NULL, "kind" text NOT NULL, "content_sha256" character(64) NOT NULL, "byte_size" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "rendered_document_pkey" PRIMARY KEY ("input_sha256"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "rendered_document"');
  }
}
