import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Client } from 'pg';
import type { DatabaseConnection } from './database-connection';
import { DATABASE_CONNECTION } from './database.tokens';

const RECONNECT_MS = [250, 1000, 5000];

/** What a subscriber of a notification channel does with what it hears. */
export interface NotificationSubscriber {
  /** A notification on the channel, with its payload ('' when none). */
  onNotification(payload: string): void;
  /**
   * The listening connection was (re-)established: notifications sent while it was down are lost, so
   * whatever the subscriber keeps in step with the channel must be dropped whole.
   */
  onReset(): void;
}

/**
 * One dedicated connection per process that LISTENs on every channel subscribed to, so that caches of
 * this process hear of changes committed by any other process (or raw SQL) within milliseconds of their
 * commit. Subscribe before the application has bootstrapped (in a constructor or `onModuleInit`). When
 * the connection is lost it is re-established with back-off, and every subscriber is reset. The embedded
 * database admits one process, whose own writes its subscribers cover themselves: no connection there.
 */
@Injectable()
export class DatabaseNotifications implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly subscribers = new Map<string, NotificationSubscriber[]>();
  private client?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private failures = 0;
  private stopped = false;

  constructor(@Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection) {}

  /** Calls `subscriber` for each notification on `channel` (a plain SQL identifier). */
  subscribe(channel: string, subscriber: NotificationSubscriber): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Invalid notification channel: ${channel}`);
    const existing = this.subscribers.get(channel);
    if (existing) existing.push(subscriber);
    else this.subscribers.set(channel, [subscriber]);
    const client = this.client;
    if (client && !existing) {
      client.query(`LISTEN ${channel}`).catch((error: Error) => client.emit('error', error));
    }
  }

  /**
   * True while every change committed by another process is heard: the listening connection is up, or
   * the database is embedded (no other process). A cache kept in step by notifications must not keep
   * anything new while this is false.
   */
  get isInStep(): boolean {
    return this.connection.isEmbedded || this.client !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.connection.isEmbedded || this.subscribers.size === 0) return;
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
      application_name: 'cpc-change-listener',
    });
    let lost = false;
    const onLost = (error?: Error): void => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      if (this.stopped) return;
      this.logger.warn(`change listener lost its connection: ${error?.message ?? 'ended'}`);
      // What was kept while nobody listened may be stale by now; it is dropped again on reconnecting.
      this.resetAll();
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('notification', (message) => {
      for (const subscriber of this.subscribers.get(message.channel) ?? []) {
        subscriber.onNotification(message.payload ?? '');
      }
    });
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      for (const channel of this.subscribers.keys()) await client.query(`LISTEN ${channel}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      this.failures = 0;
      this.resetAll();
    } catch (error) {
      onLost(error as Error);
    }
  }

  private resetAll(): void {
    for (const subscribers of this.subscribers.values()) {
      for (const subscriber of subscribers) subscriber.onReset();
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
