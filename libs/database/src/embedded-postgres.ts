import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The embedded PostgreSQL: PGlite (PostgreSQL compiled to WebAssembly) keeping its data in a folder,
 * served in-process over the PostgreSQL wire protocol on a loopback port, so the ordinary `pg` driver
 * and the same migrations serve it and a real server alike.
 *
 * PGlite is a single-session database: the socket server accepts one connection at a time and the pool
 * that talks to it must hold exactly one connection. A lock file keeps a second process off the folder.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly database: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lockFile: string | undefined,
    readonly url: string,
  ) {}

  /** `directory` undefined: an in-memory database (tests). */
  static async start(directory: string | undefined): Promise<EmbeddedPostgres> {
    const lockFile = directory ? EmbeddedPostgres.acquireLock(directory) : undefined;
    try {
      const database = await PGlite.create(directory ?? 'memory://');
      const server = new PGLiteSocketServer({ db: database, host: '127.0.0.1', port: 0 });
      await server.start();
      const url = `postgres://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`;
      return new EmbeddedPostgres(database, server, lockFile, url);
    } catch (error) {
      if (lockFile) rmSync(lockFile, { force: true });
      throw error;
    }
  }

  private static acquireLock(directory: string): string {
    const lockFile = join(dirname(directory), `${directory.split(/[\\/]/).pop() ?? 'pgdata'}.lock`);
    mkdirSync(directory, { recursive: true });
    if (existsSync(lockFile)) {
      const holder = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder)) {
        throw new Error(
          `The embedded database in ${directory} is in use by process ${holder}. ` +
            'Run one process per embedded database, or set DATABASE_URL to share a PostgreSQL server.',
        );
      }
      rmSync(lockFile, { force: true });
    }
    const handle = openSync(lockFile, 'wx');
    writeSync(handle, String(process.pid));
    closeSync(handle);
    return lockFile;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.database.close();
    if (this.lockFile) rmSync(this.lockFile, { force: true });
  }
}
