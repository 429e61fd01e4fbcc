import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last certificate number of each year; incremented in the publishing transaction, so no gaps. */
@Entity({ name: 'certificate_counter' })
export class CertificateCounterEntity {
  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  lastNumber: number;
}
