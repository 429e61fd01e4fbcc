import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { CHROMIUM_ARGS } from '@app/documents';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Where tests keep what a person may want to look at afterwards (screenshots); ignored by git. */
export const TEST_ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

/**
 * Real Chromium (Debian's by default, or CHROMIUM_PATH). Throws when it is missing, so that a browser
 * test fails and says why instead of being skipped.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium is not installed at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  return puppeteer.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
}

/** Makes the app listen on a free loopback port, for clients outside the process; returns its base URL. */
export async function listenOnLoopback(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Saves a full-page PNG of the page under test-artifacts/; returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(TEST_ARTIFACTS, { recursive: true });
  const file = join(TEST_ARTIFACTS, `${name}.png`);
  writeFileSync(file, await page.screenshot({ fullPage: true, type: 'png' }));
  return file;
}
