import type { DatabaseConfig, DatabaseTimeouts } from '@app/config';
import { EmbeddedPostgres } from './embedded-postgres';

/** Where the product's PostgreSQL is: the configured server, or an embedded one started here. */
export interface DatabaseConnection {
  url: string;
  isEmbedded: boolean;
  /** Connections the pool may open: one for the single-session embedded database. */
  poolSize: number;
  connectTimeoutMs: number;
  /**
   * Statement, lock and idle-in-transaction limits set on every connection of a real server. Absent for
   * the embedded database: PGlite is single-session (no other session holds a lock) and ignores them.
   */
  timeouts?: DatabaseTimeouts;
  close(): Promise<void>;
}

export async function openDatabaseConnection(
  config: DatabaseConfig,
  options: { inMemory?: boolean } = {},
): Promise<DatabaseConnection> {
  if (config.url !== undefined) {
    return {
      url: config.url,
      isEmbedded: false,
      poolSize: config.poolSize,
      connectTimeoutMs: config.connectTimeoutMs,
      timeouts: config.timeouts,
      close: () => Promise.resolve(),
    };
  }
  const embedded = await EmbeddedPostgres.start(options.inMemory ? undefined : config.embeddedDirectory);
  return {
    url: embedded.url,
    isEmbedded: true,
    poolSize: 1,
    // A request waits for the single connection while another transaction holds it.
    connectTimeoutMs: Math.max(config.connectTimeoutMs, 30000),
    close: () => embedded.stop(),
  };
}
