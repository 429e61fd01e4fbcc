#!/usr/bin/env node
'use strict';
/*
 * Checks a standards edition written in the v2 document shape (see EDITION-V2.md of issue 12) for the rules
 * that can be verified without the product's engine: JSON parses, codes are well formed and unique, each item's
 * level follows its parent's, items above the indicator level have children, every Text carries `en` and every
 * language the edition declares, applicability conditions use declared drivers with values of the right type,
 * tags and tier rules are consistent. Plain Node, no dependencies.
 *
 * Usage: node test/support/check-edition-v2-shape.js standards/cps-2022-v3.json [more files…]
 *        [--expect-tags entry=33,progress=21,advanced=24,none=75] [--expect-indicators 153]
 * Exits 1 when a file breaks a rule, printing each problem with its JSON path.
 */
const fs = require('fs');

const CODE = /^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$/;
const TAGS = ['entry', 'progress', 'advanced'];
const OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function check(doc, options) {
  const errors = [];
  const warnings = [];
  const err = (path, msg) => errors.push(`${path}: ${msg}`);
  const warn = (path, msg) => warnings.push(`${path}: ${msg}`);

  if (doc.schemaVersion !== 2) err('$.schemaVersion', 'must be 2');
  if (typeof doc.id !== 'string' || !/^[a-z0-9][a-z0-9-]{1,62}$/.test(doc.id)) err('$.id', 'must be a slug');
  const languages = Array.isArray(doc.languages) ? doc.languages : [];
  if (!languages.includes('en')) err('$.languages', 'must include "en"');

  const checkText = (path, text, required = true) => {
    if (text === undefined) {
      if (required) err(path, 'missing text');
      return;
    }
    if (typeof text === 'string') {
      if (!text.trim()) err(path, 'empty text');
      if (languages.length > 1) warn(path, 'plain string: only English');
      return;
    }
    if (!text || typeof text !== 'object') return err(path, 'must be a string or an object of languages');
    if (typeof text.en !== 'string' || !text.en.trim()) err(path, 'missing "en"');
    for (const lang of languages) {
      if (typeof text[lang] !== 'string' || !text[lang].trim()) err(path, `missing "${lang}"`);
    }
    for (const lang of languages) {
      if (lang !== 'en' && typeof text[lang] === 'string' && text[lang] === text.en && text.en.length > 30) {
        warn(`${path}.${lang}`, 'same as the English text');
      }
    }
    for (const [lang, value] of Object.entries(text)) {
      if (!languages.includes(lang)) err(`${path}.${lang}`, 'language not declared in "languages"');
      if (typeof value === 'string' && value !== value.trim())
        err(`${path}.${lang}`, 'leading/trailing space');
    }
  };

  checkText('$.title', doc.title);
  if (doc.modelled !== undefined) checkText('$.modelled', doc.modelled);
  for (const key of ['effectiveFrom', 'openForNewCasesUntil', 'retiredOn']) {
    const v = doc[key];
    if (key === 'effectiveFrom' ? !DATE.test(v) : v !== undefined && v !== null && !DATE.test(v)) {
      err(`$.${key}`, 'must be a YYYY-MM-DD date');
    }
  }
  if (!Number.isInteger(doc.validityMonths) || doc.validityMonths < 1)
    err('$.validityMonths', 'positive integer');
  if (doc.checkInMonths !== null && !Number.isInteger(doc.checkInMonths))
    err('$.checkInMonths', 'integer or null');

  // Levels
  const levels = Array.isArray(doc.levels) ? doc.levels : [];
  if (levels.length < 2) err('$.levels', 'at least two levels');
  const levelKeys = levels.map((l) => l.key);
  if (new Set(levelKeys).size !== levelKeys.length) err('$.levels', 'duplicate level key');
  levels.forEach((l, i) => checkText(`$.levels[${i}].label`, l.label));
  let indicatorIndex = -1;
  levels.forEach((l, i) => {
    if (l.rated === true) indicatorIndex = i;
  });
  if (indicatorIndex < 0) err('$.levels', 'no level is "rated": true');
  const indicatorLevel = levelKeys[indicatorIndex];

  // Drivers
  const drivers = new Map();
  (doc.drivers || []).forEach((d, i) => {
    const p = `$.drivers[${i}]`;
    if (drivers.has(d.key)) err(p, `duplicate driver "${d.key}"`);
    drivers.set(d.key, d);
    if (!['boolean', 'enum', 'number'].includes(d.type)) err(p, `bad type "${d.type}"`);
    if (d.type === 'enum' && (!Array.isArray(d.values) || d.values.length === 0)) err(p, 'enum needs values');
    checkText(`${p}.label`, d.label);
  });
  const usedDrivers = new Set();

  const fits = (driver, value) => {
    if (driver.type === 'boolean') return typeof value === 'boolean';
    if (driver.type === 'number') return typeof value === 'number' && Number.isFinite(value);
    return typeof value === 'string' && driver.values.includes(value);
  };
  const checkLeaf = (path, leaf) => {
    const driver = drivers.get(leaf.field);
    if (!driver) return err(path, `field "${leaf.field}" is not a declared driver`);
    usedDrivers.add(leaf.field);
    if (!OPS.includes(leaf.op)) return err(path, `bad op "${leaf.op}"`);
    if (leaf.op === 'in') {
      if (!Array.isArray(leaf.value) || leaf.value.length === 0)
        return err(path, '"in" takes a non-empty array');
      leaf.value.forEach(
        (v) => fits(driver, v) || err(path, `value ${JSON.stringify(v)} does not fit ${driver.type}`),
      );
      return;
    }
    if (['gt', 'gte', 'lt', 'lte'].includes(leaf.op) && driver.type !== 'number') {
      err(path, `"${leaf.op}" needs a number driver`);
    }
    if (!fits(driver, leaf.value))
      err(path, `value ${JSON.stringify(leaf.value)} does not fit ${driver.type}`);
  };
  const checkCondition = (path, cond) => {
    if (!cond || typeof cond !== 'object') return err(path, 'condition must be an object');
    if ('field' in cond) return checkLeaf(path, cond);
    const keys = Object.keys(cond);
    if (keys.length === 0) return err(path, 'empty condition');
    for (const k of keys) {
      if (!['allOf', 'anyOf', 'noneOf'].includes(k)) err(`${path}.${k}`, 'unknown key');
      else if (!Array.isArray(cond[k]) || cond[k].length === 0) err(`${path}.${k}`, 'non-empty array');
      else cond[k].forEach((c, i) => checkCondition(`${path}.${k}[${i}]`, c));
    }
  };
  const checkAppliesWhen = (path, aw) => {
    const values = Object.values(aw || {});
    const isFlagList =
      values.length > 0 && values.every((v) => Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (isFlagList) {
      for (const [k, list] of Object.entries(aw)) {
        if (!['anyOf', 'allOf'].includes(k)) err(`${path}.${k}`, 'flag list takes anyOf/allOf');
        list.forEach((flag) => {
          const d = drivers.get(flag);
          if (!d || d.type !== 'boolean') err(`${path}.${k}`, `flag "${flag}" is not a boolean driver`);
          else usedDrivers.add(flag);
        });
      }
    } else {
      checkCondition(path, aw);
    }
  };

  // Items
  const codes = new Map();
  const perLevel = Object.fromEntries(levelKeys.map((k) => [k, 0]));
  const tags = { entry: 0, progress: 0, advanced: 0, none: 0 };
  let conditional = 0;
  let newFormConditions = 0;
  const walk = (items, parentIndex, path) => {
    if (!Array.isArray(items)) return err(path, 'must be an array');
    items.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (typeof item.code !== 'string' || !CODE.test(item.code))
        err(`${p}.code`, `bad code ${JSON.stringify(item.code)}`);
      else if (codes.has(item.code))
        err(`${p}.code`, `duplicate code "${item.code}" (also at ${codes.get(item.code)})`);
      else codes.set(item.code, p);
      const li = levelKeys.indexOf(item.level);
      const expected = levelKeys[parentIndex + 1];
      if (item.level !== expected) err(`${p}.level`, `"${item.level}" where "${expected}" is expected`);
      perLevel[item.level] = (perLevel[item.level] || 0) + 1;
      const children = item.children || [];
      if (li >= 0 && li < indicatorIndex) {
        checkText(`${p}.title`, item.title);
        if (children.length === 0) err(p, 'an item above the indicator level needs children');
        if ('statement' in item) err(`${p}.statement`, 'statement belongs to indicators and details');
        if ('tag' in item) err(`${p}.tag`, 'tag belongs to indicators');
      } else if (li >= indicatorIndex) {
        checkText(`${p}.statement`, item.statement);
        if (item.guidance !== undefined) checkText(`${p}.guidance`, item.guidance);
        if (li === indicatorIndex) {
          if (item.tag === undefined) tags.none += 1;
          else if (TAGS.includes(item.tag)) tags[item.tag] += 1;
          else err(`${p}.tag`, `bad tag "${item.tag}"`);
        } else if ('tag' in item) err(`${p}.tag`, 'details carry no tag');
      }
      if (item.refs !== undefined) {
        for (const [k, v] of Object.entries(item.refs))
          if (typeof v !== 'string') err(`${p}.refs.${k}`, 'string');
      }
      if (item.appliesWhen !== undefined) {
        conditional += 1;
        const isNew = JSON.stringify(item.appliesWhen).includes('"field"');
        if (isNew) newFormConditions += 1;
        checkAppliesWhen(`${p}.appliesWhen`, item.appliesWhen);
      }
      if (children.length) {
        if (li === levelKeys.length - 1) err(`${p}.children`, 'the last level has no children');
        walk(children, li, `${p}.children`);
      }
    });
  };
  walk(doc.items, -1, '$.items');

  // Scale
  const ratings = (doc.scale && doc.scale.ratings) || [];
  const values = ratings.map((r) => r.value);
  if (new Set(values).size !== values.length) err('$.scale.ratings', 'duplicate value');
  ratings.forEach((r, i) => {
    checkText(`$.scale.ratings[${i}].label`, r.label);
    if (r.score !== undefined && (typeof r.score !== 'number' || r.score < 0 || r.score > 1)) {
      err(`$.scale.ratings[${i}].score`, 'number in [0, 1]');
    }
  });
  if (!ratings.some((r) => r.compliant === true)) err('$.scale.ratings', 'no compliant rating');

  // Decision rule
  const rule = doc.decisionRule || {};
  if (rule.type === 'tiered') {
    (rule.tiers || []).forEach((t, i) => {
      const p = `$.decisionRule.tiers[${i}]`;
      if (t.label !== undefined) checkText(`${p}.label`, t.label);
      (t.requiredIndicatorLevels || []).forEach((tag) => {
        if (!TAGS.includes(tag)) err(p, `unknown tag "${tag}"`);
        else if (tags[tag] === 0) err(p, `tag "${tag}" used by no indicator`);
      });
      for (const [tag, share] of Object.entries(t.minShare || {})) {
        if (!TAGS.includes(tag) || tags[tag] === 0)
          err(`${p}.minShare.${tag}`, 'must be a tag used by indicators');
        if (typeof share !== 'number' || share <= 0 || share > 1)
          err(`${p}.minShare.${tag}`, 'share in (0, 1]');
      }
    });
  } else if (rule.type !== 'all_applicable_standards_met') {
    err('$.decisionRule.type', `unknown "${rule.type}"`);
  }

  // Expectations given on the command line
  if (options.expectIndicators !== undefined && perLevel[indicatorLevel] !== options.expectIndicators) {
    err('$', `${perLevel[indicatorLevel]} indicators, expected ${options.expectIndicators}`);
  }
  if (options.expectTags) {
    for (const [tag, n] of Object.entries(options.expectTags)) {
      if (tags[tag] !== n) err('$', `${tags[tag]} indicators tagged ${tag}, expected ${n}`);
    }
  }
  for (const key of drivers.keys())
    if (!usedDrivers.has(key)) warn('$.drivers', `driver "${key}" used by no condition`);

  return { errors, warnings, perLevel, tags, codes: codes.size, conditional, newFormConditions, usedDrivers };
}

function parseArgs(argv) {
  const files = [];
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--expect-indicators') options.expectIndicators = Number(argv[(i += 1)]);
    else if (argv[i] === '--expect-tags') {
      options.expectTags = Object.fromEntries(
        argv[(i += 1)].split(',').map((kv) => {
          const [k, v] = kv.split('=');
          return [k, Number(v)];
        }),
      );
    } else files.push(argv[i]);
  }
  return { files, options };
}

function main() {
  const { files, options } = parseArgs(process.argv.slice(2));
  if (files.length === 0) {
    console.error(
      'usage: check-edition-v2-shape.js <edition.json>… [--expect-indicators N] [--expect-tags entry=N,…]',
    );
    process.exit(2);
  }
  let failed = false;
  for (const file of files) {
    let doc;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      console.log(`${file}: does not parse: ${e.message}`);
      failed = true;
      continue;
    }
    const r = check(doc, options);
    console.log(`${file} (${doc.id}): ${r.codes} codes`);
    console.log(
      `  per level: ${Object.entries(r.perLevel)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(
      `  tags: ${Object.entries(r.tags)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(`  conditional indicators: ${r.conditional} (new-form conditions: ${r.newFormConditions})`);
    console.log(`  drivers used: ${[...r.usedDrivers].sort().join(', ') || 'none'}`);
    r.warnings.forEach((w) => console.log(`  warning ${w}`));
    r.errors.forEach((e) => console.log(`  ERROR ${e}`));
    console.log(r.errors.length ? `  FAIL (${r.errors.length} errors)` : '  OK');
    if (r.errors.length) failed = true;
  }
  process.exit(failed ? 1 : 0);
}

if (require.main === module) main();
module.exports = { check };
