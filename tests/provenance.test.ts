/**
 * provenance on the corpus, checked against the inputs themselves (the gold
 * files carry no provenance): `inherited` names the path wherever a group
 * cell was merged over (or, in tables that never merge, left blank below)
 * the row, and a PDF task's `page` is the page its text starts on.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { convert } from '../src/pipeline.js';
import { loadPdfJs, pdfLoadOptions } from '../src/readers/pdf.js';

const corpus = join(__dirname, '..', 'fixtures', 'corpus');
const files = readdirSync(corpus).flatMap((d) =>
  readdirSync(join(corpus, d))
    .filter((f) => /\.(docx|html|pdf)$/.test(f))
    .map((f) => join(corpus, d, f)),
);
const squash = (s: string) => s.replace(/\s+/g, '');

async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const lib = await loadPdfJs();
  const doc = await lib.getDocument(pdfLoadOptions(bytes)).promise;
  try {
    const out: string[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const tc = await (await doc.getPage(p)).getTextContent();
      out.push(squash(tc.items.map((i) => ('str' in i ? i.str : '')).join('')));
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

describe('provenance on the corpus', () => {
  for (const file of files) {
    const name = file.split('/').pop()!;
    it(`${name}: 'path' is inherited exactly where the task continues the group of the task before it`, async () => {
      const doc = await convert({ bytes: new Uint8Array(readFileSync(file)), path: name });
      const tabled = doc.tasks.filter((t) => t.provenance.table !== null);
      const wrong: string[] = [];
      tabled.forEach((t, i) => {
        const prev = tabled[i - 1];
        const continues = !!prev && prev.provenance.table === t.provenance.table && t.path.length > 0 && prev.path[0] === t.path[0];
        if (continues !== t.provenance.inherited.includes('path')) wrong.push(`seq ${t.seq}: inherited ${JSON.stringify(t.provenance.inherited)}, continues ${continues}`);
      });
      expect(wrong).toEqual([]);
    });
  }

  for (const file of files.filter((f) => f.endsWith('.pdf'))) {
    const name = file.split('/').pop()!;
    it(`${name}: every task's page holds the start of its text`, async () => {
      const bytes = new Uint8Array(readFileSync(file));
      const doc = await convert({ bytes, path: name });
      const pages = await pageTexts(bytes);
      const wrong = doc.tasks
        .filter((t) => t.content !== '')
        .filter((t) => !pages[(t.provenance.page ?? 0) - 1]?.includes(squash(t.content).slice(0, 8)))
        .map((t) => `seq ${t.seq} page ${t.provenance.page}: ${t.content.slice(0, 12)}`);
      expect(wrong).toEqual([]);
      expect(doc.tasks.every((t) => t.provenance.page !== null)).toBe(true);
    });
  }
});
