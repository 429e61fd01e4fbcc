import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DatabaseNotifications } from '@app/database';
import { RegistryService } from './registry.service';

/** The channel the `certificate` and `organization` triggers notify on (migration 1797100000000). */
export const REGISTRY_CHANGED_CHANNEL = 'registry_changed';

/**
 * Keeps this process's registry cache in step with every other process on the same database: the
 * process's listening connection (DatabaseNotifications) hears `registry_changed` and the cache is
 * cleared on each notification, so a certificate published, suspended or revoked through any API
 * instance, the worker or raw SQL is seen here as soon as it commits (not after the entries age out).
 * The cache is cleared as well whenever that connection is lost or re-established, since notifications
 * sent meanwhile are lost. The embedded database admits one process, whose own writes the TypeORM
 * subscriber already covers.
 */
@Injectable()
export class RegistryChangeListener implements OnModuleInit {
  constructor(
    private readonly notifications: DatabaseNotifications,
    private readonly registry: RegistryService,
  ) {}

  onModuleInit(): void {
    this.notifications.subscribe(REGISTRY_CHANGED_CHANNEL, {
      onNotification: () => this.registry.clearCache(),
      onReset: () => this.registry.clearCache(),
    });
  }
}
