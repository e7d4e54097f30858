#!/usr/bin/env node
// Per-field accuracy of gov-plan against the gold files (run after `npm run build`).
// usage: node scripts/accuracy.mjs [--verbose] [files...]   (default: every fixture with a .gold.json)
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { convert } from '../dist/pipeline.js';
import { compareWithGold, summarize } from '../dist/eval/gold.js';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
let files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  const walk = (d) => readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.gold.json') ? [] : existsSync(p + '.gold.json') || (p.endsWith('.txt') && existsSync(p.replace(/\.txt$/, '.gold.json'))) ? [p] : [];
  });
  files = walk('fixtures');
}
const results = [];
for (const f of files) {
  const goldPath = existsSync(f + '.gold.json') ? f + '.gold.json' : f.replace(/\.txt$/, '.gold.json');
  const gold = JSON.parse(readFileSync(goldPath, 'utf8'));
  let doc;
  try {
    doc = await convert({ bytes: new Uint8Array(readFileSync(f)), path: f });
  } catch (e) {
    console.log(`${f}: FAILED ${e.message}`);
    continue;
  }
  const r = compareWithGold(doc, gold);
  results.push({ file: f, ...r });
  console.log(`${f}: ${r.summaryLine}`);
  if (verbose) for (const d of r.diffs.slice(0, 60)) console.log('   ' + d);
}
console.log(summarize(results));
