/**
 * Runs a process entry point: a failure to start exits 1 with the reason; SIGTERM and SIGINT run
 * `stop` once (close the app, then the database) and exit 0, or 1 when stopping fails.
 */
export function runProcess(name: string, start: () => Promise<() => Promise<void>>): void {
  start()
    .then((stop) => {
      let isStopping = false;
      const onSignal = (signal: string): void => {
        if (isStopping) return;
        isStopping = true;
        process.stdout.write(`${signal} received, stopping the ${name}\n`);
        stop()
          .then(() => process.exit(0))
          .catch((error: unknown) => {
            process.stderr.write(`Shutdown failed: ${String(error)}\n`);
            process.exit(1);
          });
      };
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      process.on('SIGINT', () => onSignal('SIGINT'));
    })
    .catch((error: unknown) => {
      process.stderr.write(
        `The ${name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    });
}
