import { UserEntity } from '@app/identity';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
} from 'typeorm';
import { EvidenceItemEntity } from './evidence-item.entity';

/** One uploaded file of a piece of evidence. Versions are never changed nor removed. */
@Entity({ name: 'evidence_version' })
@Unique('evidence_version_number_unique', ['evidenceId', 'versionNumber'])
@Unique('evidence_version_storage_key_unique', ['storageKey'])
@Check('evidence_version_number_check', '"version_number" >= 1')
@Check('evidence_version_size_check', '"size" >= 0')
@Check('evidence_version_sha256_check', `"sha256" ~ '^[0-9a-f]{64}$'`)
export class EvidenceVersionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'evidence_version_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  evidenceId: string;

  @ManyToOne(() => EvidenceItemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'evidence_id', foreignKeyConstraintName: 'evidence_version_evidence_fk' })
  evidence?: EvidenceItemEntity;

  @Column({ type: 'integer' })
  versionNumber: number;

  /** Generated (`evidence/<caseId>/<versionId>`), never derived from the file name. */
  @Column({ type: 'text' })
  storageKey: string;

  /** The sanitised name the file is downloaded under. */
  @Column({ type: 'text' })
  fileName: string;

  /** Taken from the content's first bytes, not from what the client declared. */
  @Column({ type: 'text' })
  contentType: string;

  // bigint arrives from the driver as a string.
  @Column({ type: 'bigint' })
  size: string;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'uuid' })
  uploadedBy: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'uploaded_by', foreignKeyConstraintName: 'evidence_version_uploader_fk' })
  uploader?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  uploadedAt: Date;
}
