import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { EditionDocument } from '../libs/standards/src/edition-document';
import { convertV1ToV2 } from '../libs/standards/src/v2/convert-v1';

/**
 * Stored editions become edition documents v2 in place (issue 12): codes, English texts, tags, conditions
 * and rules unchanged, only the v2 wrapping (levels, drivers, scores) added. `document_sha256` is kept: it
 * is the hash sealed decision packages name, and `source_document` keeps the document it is the hash of.
 * Published editions are immutable (trigger `standards_edition_immutable`): the trigger is lifted for the
 * one UPDATE below only, inside this migration's transaction. No rating, case or decision row is touched.
 */
export class EditionDocumentV21796700000000 implements MigrationInterface {
  name = 'EditionDocumentV21796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "standards_edition" ADD "source_document" jsonb');
    const rows = (await queryRunner.query(
      `SELECT "id", "document" FROM "standards_edition" WHERE NOT ("document" ? 'schemaVersion')`,
    )) as { id: string; document: Record<string, unknown> }[];
    const converted = rows
      // Only documents with the v1 tree; anything else is left as it is.
      .filter((row) => Array.isArray(row.document.principles))
      .map((row) => ({ id: row.id, document: convertV1ToV2(row.document as unknown as EditionDocument) }));
    if (converted.length === 0) return;
    await queryRunner.query('ALTER TABLE "standards_edition" DISABLE TRIGGER "standards_edition_immutable"');
    await queryRunner.query(
      `UPDATE "standards_edition" e
          SET "source_document" = e."document", "document" = c."document"
         FROM jsonb_to_recordset($1::jsonb) AS c("id" text, "document" jsonb)
        WHERE e."id" = c."id"`,
      [JSON.stringify(converted)],
    );
    await queryRunner.query('ALTER TABLE "standards_edition" ENABLE TRIGGER "standards_edition_immutable"');
  }

  /** Converted editions get their v1 document back; editions imported as v2 stay v2. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "standards_edition" DISABLE TRIGGER "standards_edition_immutable"');
    await queryRunner.query(
      `UPDATE "standards_edition" SET "document" = "source_document" WHERE "source_document" IS NOT NULL`,
    );
    await queryRunner.query('ALTER TABLE "standards_edition" ENABLE TRIGGER "standards_edition_immutable"');
    await queryRunner.query('ALTER TABLE "standards_edition" DROP COLUMN "source_document"');
  }
}
