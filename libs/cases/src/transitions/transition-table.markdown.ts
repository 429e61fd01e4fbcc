import { TRANSITIONS } from './transition-table';

const list = (names: readonly string[]): string =>
  names.length > 0 ? names.map((name) => `\`${name}\``).join(', ') : '—';

/** The README's table of actions → guards → effects, generated from the transition table (a unit test compares). */
export function transitionTableMarkdown(): string {
  const lines = [
    '| action | from → to | guards (built in; registered) | effects (built in; registered) |',
    '|---|---|---|---|',
    ...TRANSITIONS.map(
      (rule) =>
        `| \`${rule.action}\` | ${rule.from.join(', ')} → ${rule.to}${rule.reopensTo ? ` (${rule.reopensTo} when reopening indicators)` : ''} | ${list(rule.guards)}; ${list(rule.externalGuards)} | ${list(rule.effects)}; ${list(rule.externalEffects)} |`,
    ),
  ];
  return lines.join('\n');
}
