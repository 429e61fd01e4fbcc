import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A rendered PDF, found again by what it was rendered from: the same template and data give the
 * same document, served from storage without rendering again. The bytes are stored under their own
 * SHA-256 (`documents/<contentSha256>`).
 */
@Entity({ name: 'rendered_document' })
export class RenderedDocumentEntity {
  /** SHA-256 of the kind, the template and the canonical JSON of the data. */
  @PrimaryColumn({ type: 'char', length: 64 })
  inputSha256: string;

  /** What the document is, e.g. `certificate` or `certification-report`. */
  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'char', length: 64 })
  contentSha256: string;

  @Column({ type: 'integer' })
  byteSize: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
