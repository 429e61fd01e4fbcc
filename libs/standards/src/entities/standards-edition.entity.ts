import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { EditionDocumentV2 } from '../v2/edition-v2';

export const EDITION_STATUSES = ['draft', 'published'] as const;
export type EditionStatus = (typeof EDITION_STATUSES)[number];

/** A standards edition; once published a trigger refuses any change to it. */
@Entity({ name: 'standards_edition' })
@Check('standards_edition_status_check', `"status" IN ('draft', 'published')`)
export class StandardsEditionEntity {
  /** The slug given in the document, e.g. `cps-2016`. */
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  status: EditionStatus;

  @Column({ type: 'date' })
  effectiveFrom: string;

  /** The edition document v2 (editions imported as v1 are stored converted). */
  @Column({ type: 'jsonb' })
  document: EditionDocumentV2;

  /**
   * Editions converted to v2 in place by the migration: the document as it was published, whose hash
   * `documentSha256` still is (sealed decision packages name that hash). Null for editions imported as v2
   * or converted at import (their hash is the stored document's).
   */
  @Column({ type: 'jsonb', nullable: true, select: false })
  sourceDocument: object | null;

  /** Catalog metadata: the last day a new initial certification may be opened under the edition. */
  @Column({ type: 'date', nullable: true })
  openForNewCasesUntil: string | null;

  /** Catalog metadata: the day the edition was retired. */
  @Column({ type: 'date', nullable: true })
  retiredOn: string | null;

  /** SHA-256 of the document's canonical JSON. */
  @Column({ type: 'char', length: 64 })
  documentSha256: string;

  @Column({ type: 'integer' })
  principleCount: number;

  @Column({ type: 'integer' })
  standardCount: number;

  @Column({ type: 'integer' })
  indicatorCount: number;

  @Column({ type: 'uuid', nullable: true })
  importedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  importedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'integer', default: 1 })
  version: number;
}
