import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SOURCES = ['apps', 'libs'];
const LOCK_CALL = /pg_(?:try_)?advisory_(?:xact_)?lock(?:_shared)?\(/g;
const KEY_CONSTANT = /\bconst\s+([A-Z][A-Z0-9_]*LOCK_KEY)\s*(?::\s*\w+\s*)?=\s*([\d_]+)\s*;/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const files = SOURCES.flatMap((source) => sourceFiles(join(ROOT, source))).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));

/** Every `*_LOCK_KEY` constant of the code, with its value. */
const keys = files.flatMap(({ path, text }) =>
  [...text.matchAll(KEY_CONSTANT)].map((match) => ({
    path,
    name: match[1],
    value: Number(match[2].replace(/_/g, '')),
  })),
);

// PostgreSQL's advisory locks are one key space per database: two features that pick the same key block
// (or, with pg_try_advisory_xact_lock, silently skip) each other.
describe('advisory lock keys', () => {
  it('finds the keys of the code (the scan is not empty)', () => {
    expect(keys.map((key) => key.name)).toEqual(
      expect.arrayContaining(['AUDIT_CHAIN_LOCK_KEY', 'COMMITMENT_WRITE_LOCK_KEY', 'MIGRATION_LOCK_KEY']),
    );
  });

  it('takes every advisory lock with a `*_LOCK_KEY` constant declared as a number, so the scan sees every key', () => {
    const declared = new Set(keys.map((key) => key.name));
    const calls = files.flatMap(({ path, text }) =>
      [...text.matchAll(LOCK_CALL)].map((match) => ({
        path,
        key: /\b[A-Z][A-Z0-9_]*LOCK_KEY\b/.exec(text.slice(match.index, match.index + 300))?.[0] ?? null,
      })),
    );
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(calls.filter((call) => call.key === null || !declared.has(call.key))).toEqual([]);
  });

  it('gives every lock its own key', () => {
    const byValue = new Map<number, string[]>();
    for (const key of keys)
      byValue.set(key.value, [...(byValue.get(key.value) ?? []), `${key.name} (${key.path})`]);
    const shared = [...byValue.entries()].filter(([, names]) => names.length > 1);
    expect(shared).toEqual([]);
  });
});
