import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { EditionDocument } from '../libs/standards/src/edition-document';
import { convertV1ToV2 } from '../libs/standards/src/v2/convert-v1';
import type { EditionDocumentV2 } from '../libs/standards/src/v2/edition-v2';
import { sameSubstance } from '../libs/standards/src/v2/substance';

/** The v2 documents shipped in the standards folder (STANDARDS_DIR, as the app reads it), by id. */
function bundledV2Documents(): Map<string, EditionDocumentV2> {
  // eslint-disable-next-line no-restricted-properties -- migrations run outside the app's configuration; the same variable the app reads
  const directory = resolve(process.cwd(), process.env.STANDARDS_DIR ?? 'standards');
  const documents = new Map<string, EditionDocumentV2>();
  if (!existsSync(directory)) return documents;
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.json'))) {
    try {
      const document = JSON.parse(readFileSync(join(directory, file), 'utf8')) as EditionDocumentV2;
      if (document.schemaVersion === 2 && typeof document.id === 'string')
        documents.set(document.id, document);
    } catch {
      // Not a readable edition: the app's loader reports it at start.
    }
  }
  return documents;
}

/**
 * Stored editions become edition documents v2 in place (issue 12): codes, English texts, tags, conditions
 * and rules unchanged, only the v2 wrapping (levels, drivers, scores) added. `document_sha256` is kept: it
 * is the hash sealed decision packages name, and `source_document` keeps the document it is the hash of.
 * Published editions are immutable (trigger `standards_edition_immutable`): the trigger is lifted for the
 * one UPDATE below only, inside this migration's transaction. No rating, case or decision row is touched.
 * When the standards folder ships a v2 document of the same edition that differs from the conversion only in
 * translations and wrapping (same codes, tree, English texts, tags, conditions, scale, rule and validity: see
 * `sameSubstance`), that document is stored instead, so the shipped translations reach existing databases.
 */
export class EditionDocumentV21796700000000 implements MigrationInterface {
  name = 'EditionDocumentV21796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "standards_edition" ADD "source_document" jsonb');
    const rows = (await queryRunner.query(
      `SELECT "id", "document" FROM "standards_edition" WHERE NOT ("document" ? 'schemaVersion')`,
    )) as { id: string; document: Record<string, unknown> }[];
    const bundled = bundledV2Documents();
    const converted = rows
      // Only documents with the v1 tree; anything else is left as it is.
      .filter((row) => Array.isArray(row.document.principles))
      .map((row) => {
        const document = convertV1ToV2(row.document as unknown as EditionDocument);
        const shipped = bundled.get(row.id);
        return { id: row.id, document: shipped && sameSubstance(document, shipped) ? shipped : document };
      });
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
