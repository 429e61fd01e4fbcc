import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Client } from 'pg';
import { DATABASE_CONNECTION, type DatabaseConnection } from '@app/database';
import { RegistryService } from './registry.service';

/** The channel the `certificate` and `organization` triggers notify on (migration 1797100000000). */
export const REGISTRY_CHANGED_CHANNEL = 'registry_changed';
const RECONNECT_MS = [250, 1000, 5000];

/**
 * Keeps this process's registry cache in step with every other process on the same database: one
 * dedicated connection LISTENs on `registry_changed` and clears the cache on each notification, so a
 * certificate published, suspended or revoked through any API instance, the worker or raw SQL is seen
 * here as soon as it commits (not after the entries age out). While the connection is down the cache
 * is cleared on reconnecting, since notifications sent meanwhile are lost. The embedded database admits
 * one process, whose own writes the TypeORM subscriber already covers: no listener there.
 */
@Injectable()
export class RegistryChangeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RegistryChangeListener.name);
  private client?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private failures = 0;
  private stopped = false;

  constructor(
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    private readonly registry: RegistryService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.connection.isEmbedded) return;
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.connection.url,
      connectionTimeoutMillis: this.connection.connectTimeoutMs,
      application_name: 'cpc-registry-listener',
    });
    let lost = false;
    const onLost = (error?: Error): void => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      if (this.stopped) return;
      this.logger.warn(`registry change listener lost its connection: ${error?.message ?? 'ended'}`);
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('notification', () => this.registry.clearCache());
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${REGISTRY_CHANGED_CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      this.failures = 0;
      this.registry.clearCache();
    } catch (error) {
      onLost(error as Error);
    }
  }

  private scheduleReconnect(): void {
    const delay = RECONNECT_MS[Math.min(this.failures, RECONNECT_MS.length - 1)];
    this.failures += 1;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
    this.reconnectTimer.unref();
  }
}
