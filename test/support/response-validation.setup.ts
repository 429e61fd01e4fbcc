import { collectOnly, flushRecord, type Mismatch, responseValidationRecord } from './response-validation';

/**
 * Runs in every e2e test file (Jest `setupFilesAfterEnv`): the answers a test received that do not
 * match the served OpenAPI document fail that test; the file's counts go to the global teardown.
 */
function failOnMismatches(where: string): void {
  const pending: Mismatch[] = responseValidationRecord.pending.splice(0);
  if (pending.length === 0 || collectOnly()) return;
  const lines = pending
    .slice(0, 20)
    .map(
      (mismatch) => `  ${mismatch.request} → ${mismatch.status} (${mismatch.operation}): ${mismatch.problem}`,
    );
  throw new Error(
    `${pending.length} answer(s) ${where} do not match the OpenAPI document:\n${lines.join('\n')}` +
      (pending.length > 20 ? `\n  … and ${pending.length - 20} more` : ''),
  );
}

afterEach(() => failOnMismatches('in this test'));

afterAll(() => {
  flushRecord(expect.getState().testPath ?? 'unknown');
  failOnMismatches('after the last test');
});
