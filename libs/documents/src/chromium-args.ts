// No imports: the benchmarks load this file from dist/ as it is.
/**
 * Headless Chromium without anything that reaches out: this machine's network is closed, and a
 * renderer has no business talking to Google. No sandbox: containers run it as an unprivileged
 * process already, and the pages it renders are our own templates with JavaScript switched off.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--font-render-hinting=none',
];
