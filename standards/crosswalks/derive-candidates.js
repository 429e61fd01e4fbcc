#!/usr/bin/env node
/**
 * Proposes crosswalk candidates between two editions, for a person to review (it never writes a crosswalk):
 * for each indicator of the `from` edition, the indicators of the `to` edition under the same top-level item
 * (same position), ranked by the overlap of their English statements' content words.
 *
 *   node standards/crosswalks/derive-candidates.js standards/cps-2022.json standards/cps-2022-v3.json [top]
 *
 * The shipped crosswalks were written from this list by reading both statements of every pair and choosing
 * the kind (equivalent, broader, narrower, partial); several source indicators were mapped to targets outside
 * the ranked list, and candidates with word overlap but another requirement were dropped.
 */
const { readFileSync } = require('node:fs');

const STOP = new Set(
  'a an the and or of to in on for with by at from is are be been as its their it that this these those each every any all at least once year per than not no into such other over under within which who whose when where how what there they them clients client institution institutions product products'.split(
    ' ',
  ),
);

const english = (text) => (text === undefined ? '' : typeof text === 'string' ? text : text.en);
const words = (text) =>
  new Set(
    english(text)
      .toLowerCase()
      .replace(/[^a-z ]/g, ' ')
      .split(/\s+/)
      .filter((word) => word.length > 2 && !STOP.has(word))
      .map((word) => word.replace(/(ing|ed|es|s)$/, '')),
  );

function indicators(document) {
  const rated = document.levels.map((level) => Boolean(level.rated)).lastIndexOf(true);
  const out = [];
  const walk = (items, depth, top) => {
    (items ?? []).forEach((item, index) => {
      const root = depth === 0 ? index : top;
      if (depth === rated)
        out.push({ code: item.code, top: root, words: words(item.statement), text: english(item.statement) });
      else walk(item.children, depth + 1, root);
    });
  };
  walk(document.items, 0, 0);
  return out;
}

const [fromFile, toFile, top = '3'] = process.argv.slice(2);
const from = indicators(JSON.parse(readFileSync(fromFile, 'utf8')));
const to = indicators(JSON.parse(readFileSync(toFile, 'utf8')));
for (const source of from) {
  const ranked = to
    .filter((target) => target.top === source.top)
    .map((target) => {
      const shared = [...source.words].filter((word) => target.words.has(word)).length;
      return { target, score: shared / Math.sqrt(source.words.size * target.words.size || 1) };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, Number(top));
  console.log(`${source.code}  ${source.text}`);
  for (const { target, score } of ranked)
    console.log(`    ${score.toFixed(2)} ${target.code}  ${target.text.slice(0, 140)}`);
}
