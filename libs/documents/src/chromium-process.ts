import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Chromium must not outlive the process that started it, even when that process is SIGKILLed and
 * runs no exit hook. Node cannot set `prctl(PR_SET_PDEATHSIG)` and a C launcher would need a compiler
 * on every machine that runs the product, so two plain-Node measures do it instead:
 *
 * - a watchdog: a tiny detached Node process per browser, connected to this process by an IPC
 *   channel. The kernel closes the channel the moment this process dies, whatever the signal; the
 *   watchdog then kills the browser's whole process group (puppeteer starts Chromium as a group
 *   leader) and removes its profile folder. It also polls this process's pid once a second, in case
 *   the channel was lost some other way, and exits on its own once the browser is gone;
 * - a profile folder per process, `<tmpdir>/cpc-chromium-<pid>-<n>`: at start, browsers whose folder
 *   names a pid that no longer runs (a watchdog killed as well, a host reboot leaving folders) are
 *   found by `--user-data-dir=` in /proc/<pid>/cmdline, killed, and their folders removed.
 */
export const PROFILE_PREFIX = 'cpc-chromium-';
const PROFILE_PATTERN = /^cpc-chromium-(\d+)-\d+$/;

export function profileDirectory(launch: number, parent = tmpdir()): string {
  return join(parent, `${PROFILE_PREFIX}${process.pid}-${launch}`);
}

// Runs as `node -e WATCHDOG <parentPid> <browserPid> <profileDir>`; plain JavaScript, no imports of ours.
const WATCHDOG = `
const [parentPid, browserPid, profile] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
let done = false;
function end() {
  if (done) return;
  done = true;
  try { process.kill(-Number(browserPid), 'SIGKILL'); } catch {}
  try { process.kill(Number(browserPid), 'SIGKILL'); } catch {}
  try { require('node:fs').rmSync(profile, { recursive: true, force: true }); } catch {}
  process.exit(0);
}
process.on('disconnect', end);
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {
  if (!alive(Number(parentPid))) end();
  else if (!alive(-Number(browserPid)) && !alive(Number(browserPid))) process.exit(0);
}, 1000);
`;

/** Starts the watchdog of a browser; `stop()` ends it when the browser is closed on purpose. */
export function watchBrowser(browserPid: number, profile: string): { stop(): void } {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-e', WATCHDOG, String(process.pid), String(browserPid), profile],
    // Its own process group: a signal to this process's group does not take the watchdog with it.
    { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] },
  );
  child.on('error', () => undefined);
  // Neither the process nor its channel keeps this process alive.
  child.unref();
  child.channel?.unref();
  return {
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Processes whose command line holds `--user-data-dir=<profile>` (Chromium's browser and helpers). */
export function processesUsingProfile(profile: string): number[] {
  const flag = `--user-data-dir=${profile}`;
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Chromium's helpers rewrite their command line into one space-separated string.
      const commandLine = ` ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ')} `;
      if (commandLine.includes(` ${flag} `)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * Ends the browsers left by processes that no longer run and removes their profile folders; returns
 * how many browser processes were killed. The folders of running processes (this one included) stay.
 */
export function reapLeftoverBrowsers(parent = tmpdir()): { killed: number; folders: number } {
  let killed = 0;
  let folders = 0;
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return { killed, folders };
  }
  for (const entry of entries) {
    const match = PROFILE_PATTERN.exec(entry);
    if (!match) continue;
    const owner = Number(match[1]);
    if (owner === process.pid || isAlive(owner)) continue;
    const profile = join(parent, entry);
    for (const pid of processesUsingProfile(profile)) {
      try {
        // The browser leads its process group: the group takes its renderers and helpers along.
        process.kill(-pid, 'SIGKILL');
      } catch {
        // not a group leader (a helper), or gone
      }
      try {
        process.kill(pid, 'SIGKILL');
        killed += 1;
      } catch {
        // gone meanwhile
      }
    }
    rmSync(profile, { recursive: true, force: true });
    folders += 1;
  }
  return { killed, folders };
}
