import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RESPONSE_VALIDATION_DIR_VARIABLE, summarize, writeSummary } from './response-validation';
import { dropDatabase, serverUrl } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const url = serverUrl();
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (url && template) await dropDatabase(url, template);
  reportResponseValidation();
}

/**
 * Sums the answers the test files checked against the OpenAPI document, writes the summary to
 * test-artifacts/response-validation.json (or RESPONSE_VALIDATION_SUMMARY) and prints it. Test apps that answered nothing checkable
 * mean the hook is broken: that fails the run.
 */
function reportResponseValidation(): void {
  const directory = process.env[RESPONSE_VALIDATION_DIR_VARIABLE];
  if (!directory) return;
  const summary = summarize(directory);
  rmSync(directory, { recursive: true, force: true });
  if (summary.files === 0) return;
  const path =
    process.env.RESPONSE_VALIDATION_SUMMARY ??
    join(__dirname, '..', '..', 'test-artifacts', 'response-validation.json');
  mkdirSync(dirname(path), { recursive: true });
  writeSummary(path, summary);
  process.stdout.write(
    `\nResponse validation: ${summary.validated} answers of ${summary.files} test files checked against ` +
      `the OpenAPI document, ${summary.mismatches.length} mismatches` +
      ` (${summary.outsideDocument} answers outside the document: HTML pages, unknown routes)\n`,
  );
  // A run of several files, or one that sent requests, and nothing checked: the hook is broken.
  if (summary.validated === 0 && (summary.outsideDocument > 0 || summary.files > 3))
    throw new Error('Response validation checked no answer: the hook is broken');
}
