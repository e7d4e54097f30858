import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convert } from '../src/pipeline.js';
import { compareWithGold, FIELDS, summarize, type GoldComparison, type GoldFile } from '../src/eval/gold.js';

/**
 * Every fixture that has a hand-checked gold file is parsed and compared
 * field by field; every difference is printed. The bar per input kind is
 * the one its issue sets.
 */
interface Case {
  file: string;
  gold: string;
  /** Minimum share of gold tasks on which each field must match. */
  bar: number;
}

function goldFor(file: string): string | null {
  if (existsSync(`${file}.gold.json`)) return `${file}.gold.json`;
  if (file.endsWith('.txt') && existsSync(file.replace(/\.txt$/, '.gold.json'))) return file.replace(/\.txt$/, '.gold.json');
  return null;
}

function barFor(file: string): number | null {
  // `pdftotext -layout` tables: columns from the gutters of each page, rows around the 序号 anchors.
  // jiangmen's pages 1 and 4 put the units a single space after the task text with no blank
  // gutter, so 9 of its 30 rows still mix units into the task text (content 70 %); xinhui-qu ≥ 97 %.
  if (file.endsWith('.pdftotext.txt')) return 0.7;
  // Ruled and borderless PDFs alike (borderless: columns from positions, rows as bands around their anchors).
  if (file.endsWith('.pdf')) return 0.97;
  if (file.endsWith('.docx') || file.endsWith('.html')) return 0.99;
  // Web-to-text output drops cells covered by a rowspan: a row printing one group cell cannot say
  // which level it is (xinhui-qu rows 66–67, where the gold calls it level 1), so 2 of 67 paths differ.
  if (file.endsWith('.lines.txt')) return 0.97;
  return 0.98;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const cases: (Case & { measuredOnly: boolean })[] = [];
for (const file of [...walk('fixtures/seeds'), ...walk('fixtures/corpus')].sort()) {
  if (file.endsWith('.json')) continue;
  const gold = goldFor(file);
  if (!gold) continue;
  const bar = barFor(file);
  cases.push({ file, gold, bar: bar ?? 0, measuredOnly: bar === null });
}

const results: (GoldComparison & { file: string })[] = [];

describe('gold files: every task, field by field', () => {
  it('has fixtures to compare', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });
  for (const c of cases) {
    it(`${c.file}${c.measuredOnly ? ' (measured only)' : ''}`, async () => {
      const gold = JSON.parse(readFileSync(c.gold, 'utf8')) as GoldFile;
      let doc;
      try {
        doc = await convert({ bytes: new Uint8Array(readFileSync(c.file)), path: c.file });
      } catch (e) {
        if (!c.measuredOnly) throw e;
        console.log(`${c.file}: not parsed (${(e as Error).message})`);
        return;
      }
      const r = compareWithGold(doc, gold);
      results.push({ file: c.file, ...r });
      if (r.diffs.length) console.log(`${c.file}: ${r.summaryLine}\n  ${r.diffs.slice(0, 40).join('\n  ')}`);
      if (c.measuredOnly) return;
      expect(r.foundTasks, 'task count').toBe(r.goldTasks);
      expect(r.metadataDiffs, 'document metadata').toEqual([]);
      for (const f of FIELDS) {
        expect(r.matches[f] / r.goldTasks, `${f} match rate`).toBeGreaterThanOrEqual(c.bar);
      }
    });
  }
  afterAll(() => {
    for (const r of results) console.log(`${r.file}: ${r.summaryLine}`);
    console.log(summarize(results));
  });
});
