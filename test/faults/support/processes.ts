import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  argv: string[];
}

/** Every process this machine shows in /proc that is not a zombie (a zombie has no command line). */
export function listProcesses(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.length === 0) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      found.push({ pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid), argv });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Chromium processes (browser, renderers, helpers) started with this profile folder. */
export function chromiumOfProfile(profile: string): ProcessInfo[] {
  // Chromium's zygote children rewrite their command line into one string: look for the flag in it.
  return listProcesses().filter((info) =>
    ` ${info.argv.join(' ')} `.includes(` --user-data-dir=${profile} `),
  );
}

/** The profile folder of the browser that `parentPid` started, when one runs. */
export function browserProfileOf(parentPid: number): string | undefined {
  const browser = listProcesses().find(
    (info) => info.ppid === parentPid && info.argv.some((arg) => arg.startsWith('--user-data-dir=')),
  );
  return browser?.argv.find((arg) => arg.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
}

export async function waitUntil(check: () => boolean, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
