import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { EditionDocument } from '../edition-document';

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

  @Column({ type: 'jsonb' })
  document: EditionDocument;

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
