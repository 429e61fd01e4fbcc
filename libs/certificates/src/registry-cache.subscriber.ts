import type {
  EntitySubscriberInterface,
  InsertEvent,
  QueryRunner,
  RemoveEvent,
  TransactionCommitEvent,
  TransactionRollbackEvent,
  UpdateEvent,
} from 'typeorm';
import { CertificateEntity } from './entities/certificate.entity';
import type { RegistryCache } from './registry-cache';

const CERTIFICATES_CHANGED = 'certificatesChanged';

/**
 * Clears the registry cache when a write to certificates through TypeORM commits (at once outside a
 * transaction): after the commit, so that no reader in between keeps what is about to change. Writes by
 * other processes or by raw SQL reach the cache through PostgreSQL notifications
 * (RegistryChangeListener) on a server, within milliseconds of their commit.
 */
export class RegistryCacheInvalidator implements EntitySubscriberInterface<CertificateEntity> {
  constructor(private readonly cache: RegistryCache) {}

  listenTo(): typeof CertificateEntity {
    return CertificateEntity;
  }

  afterInsert(event: InsertEvent<CertificateEntity>): void {
    this.changed(event.queryRunner);
  }

  afterUpdate(event: UpdateEvent<CertificateEntity>): void {
    this.changed(event.queryRunner);
  }

  afterRemove(event: RemoveEvent<CertificateEntity>): void {
    this.changed(event.queryRunner);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint is not yet a commit: wait for the outermost transaction.
    if (event.queryRunner.isTransactionActive || !event.queryRunner.data[CERTIFICATES_CHANGED]) return;
    delete event.queryRunner.data[CERTIFICATES_CHANGED];
    this.cache.clear();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) delete event.queryRunner.data[CERTIFICATES_CHANGED];
  }

  private changed(queryRunner: QueryRunner): void {
    if (queryRunner.isTransactionActive) queryRunner.data[CERTIFICATES_CHANGED] = true;
    else this.cache.clear();
  }
}
