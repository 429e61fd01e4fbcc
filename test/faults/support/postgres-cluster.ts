import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const PG_LIB = '/usr/lib/postgresql';

/** Why this machine cannot run a throw-away cluster, or undefined when it can. */
export function clusterUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'the fault suite creates its own PostgreSQL cluster and needs root';
  if (!existsSync('/usr/bin/pg_createcluster'))
    return "Debian's postgresql-common (pg_createcluster) is not installed";
  if (postgresVersion() === undefined) return `no PostgreSQL server under ${PG_LIB}`;
  return undefined;
}

function postgresVersion(): string | undefined {
  if (!existsSync(PG_LIB)) return undefined;
  return readdirSync(PG_LIB)
    .filter((entry) => /^\d+$/.test(entry) && existsSync(`${PG_LIB}/${entry}/bin/postgres`))
    .sort((a, b) => Number(b) - Number(a))[0];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function run(command: string, args: string[]): string {
  return execFileSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

/**
 * A PostgreSQL cluster of its own on a free port (Debian's `pg_createcluster`, trust auth on loopback),
 * which a test may stop, start, freeze and thaw, dropped with `drop()`.
 */
export class PostgresCluster {
  private constructor(
    readonly version: string,
    readonly name: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PostgresCluster> {
    const version = postgresVersion();
    if (!version) throw new Error(clusterUnavailableReason());
    const name = `faults${randomBytes(4).toString('hex')}`;
    const port = await freePort();
    run('pg_createcluster', [version, name, '-p', String(port), '--', '--auth=trust']);
    const cluster = new PostgresCluster(version, name, port);
    cluster.start();
    return cluster;
  }

  /** The server's `postgres` database; `database` names another. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  start(): void {
    run('pg_ctlcluster', [this.version, this.name, 'start']);
  }

  /** A real shutdown: `fast` ends every session (57P01 admin shutdown), `immediate` like a crash. */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    run('pg_ctlcluster', [this.version, this.name, 'stop', '-m', mode]);
  }

  /** The postmaster and every process under it: the whole server. */
  processIds(): number[] {
    const pidFile = `/var/lib/postgresql/${this.version}/${this.name}/postmaster.pid`;
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    const children = new Map<number, number[]>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      } catch {
        // gone meanwhile
      }
    }
    const found = [postmaster];
    for (let index = 0; index < found.length; index += 1) found.push(...(children.get(found[index]) ?? []));
    return found;
  }

  /** Freezes the server (SIGSTOP to the postmaster and every backend): connections hang, nothing answers. */
  freeze(): void {
    for (const pid of this.processIds()) signal(pid, 'SIGSTOP');
  }

  thaw(): void {
    for (const pid of this.processIds()) signal(pid, 'SIGCONT');
  }

  drop(): void {
    try {
      this.thaw();
    } catch {
      // not running
    }
    run('pg_dropcluster', ['--stop', this.version, this.name]);
  }
}

/** Sends `name` to `pid`; a process that ended since it was listed (a backend whose client left) is skipped. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
