import { ClearOnCommitSubscriber } from '@app/database';
import type { EntitySubscriberInterface, InsertEvent, RemoveEvent, UpdateEvent } from 'typeorm';
import { CertificateEntity } from './entities/certificate.entity';
import type { RegistryCache } from './registry-cache';

/**
 * Clears the registry cache when a write to certificates through TypeORM commits (at once outside a
 * transaction): after the commit, so that no reader in between keeps what is about to change. Writes by
 * other processes or by raw SQL reach the cache through PostgreSQL notifications
 * (RegistryChangeListener) on a server, within milliseconds of their commit.
 */
export class RegistryCacheInvalidator
  extends ClearOnCommitSubscriber
  implements EntitySubscriberInterface<CertificateEntity>
{
  constructor(cache: RegistryCache) {
    super('certificatesChanged', () => cache.clear());
  }

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
}
