import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const started = new Set<RunningProcess>();

/** Stops every process a test started and has not stopped yet. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...started].map((running) => running.stop('SIGKILL')));
}

/** Starts a built entry point of the product (`dist/...`) as its own process, as a user would. */
export function startProcess(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
): RunningProcess {
  const cleanEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env })) {
    if (value !== undefined) cleanEnv[key] = value;
  }
  const child = spawn(process.execPath, [join(REPOSITORY_ROOT, script), ...args], {
    cwd: REPOSITORY_ROOT,
    env: cleanEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const running: RunningProcess = {
    child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs = 60000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = output.match(pattern);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output.slice(-3000)}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then((code) => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`process exited (${code}) before ${pattern}; output:\n${output.slice(-3000)}`));
          }
        });
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
  started.add(running);
  void exited.then(() => started.delete(running));
  return running;
}
