import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { CrosswalkDocument } from '../crosswalks/crosswalk';
import type { EditionStatus } from './standards-edition.entity';

/** A crosswalk between two editions (or to Universal Standards codes); once published a trigger refuses any change. */
@Entity({ name: 'standards_crosswalk' })
@Check('standards_crosswalk_status_check', `"status" IN ('draft', 'published')`)
export class StandardsCrosswalkEntity {
  /** The slug given in the document, e.g. `cps-2016-to-cps-2022-v3`. */
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  status: EditionStatus;

  @Column({ type: 'text' })
  fromEditionId: string;

  /** An edition id, or `ussepm` for Universal Standards codes. */
  @Column({ type: 'text' })
  toTarget: string;

  /** The target edition (null for `ussepm`): a foreign key, so an edition with crosswalks stays. */
  @Column({ type: 'text', nullable: true })
  toEditionId: string | null;

  @Column({ type: 'jsonb' })
  document: CrosswalkDocument;

  /** SHA-256 of the document's canonical JSON. */
  @Column({ type: 'char', length: 64 })
  documentSha256: string;

  @Column({ type: 'integer' })
  mappingCount: number;

  @Column({ type: 'uuid', nullable: true })
  importedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  importedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'integer', default: 1 })
  version: number;
}
