import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { AppliesWhenV2 } from '../v2/edition-v2';
import { StandardsEditionEntity } from './standards-edition.entity';

/** One indicator of an edition, kept as a row so that cases can reference and join indicator codes. */
@Entity({ name: 'standard_indicator' })
export class StandardIndicatorEntity {
  @PrimaryColumn({ type: 'text' })
  editionId: string;

  @PrimaryColumn({ type: 'text' })
  code: string;

  @ManyToOne(() => StandardsEditionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'edition_id', foreignKeyConstraintName: 'standard_indicator_edition_fk' })
  edition?: StandardsEditionEntity;

  @Column({ type: 'text' })
  principleCode: string;

  @Column({ type: 'text' })
  standardCode: string;

  @Column({ type: 'text', nullable: true })
  /** The indicator's tag. */
  level: string | null;

  @Column({ type: 'jsonb', nullable: true })
  appliesWhen: AppliesWhenV2 | null;

  /** Order of the indicator in the edition document. */
  @Column({ type: 'integer' })
  position: number;
}
