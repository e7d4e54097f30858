import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { PlanDocument, parsePlanDocument, planDocumentJsonSchema } from '../src/model/schema.js';

const FILE = new URL('../schemas/plan-document.schema.json', import.meta.url);

describe('schemas/plan-document.schema.json', () => {
  it('is up to date with the zod schema in src/model/schema.ts', () => {
    let committed: string;
    try {
      committed = readFileSync(FILE, 'utf8');
    } catch {
      throw new Error('schemas/plan-document.schema.json is missing. Regenerate it: npm run build && npm run schema');
    }
    const expected = JSON.stringify(planDocumentJsonSchema(), null, 2) + '\n';
    if (committed !== expected) {
      // The diff below shows what changed; the message says how to fix it.
      expect(JSON.parse(committed), 'schemas/plan-document.schema.json is stale. Regenerate it: npm run build && npm run schema (then commit it)').toEqual(JSON.parse(expected));
      expect(committed, 'schemas/plan-document.schema.json is not formatted as generated. Regenerate it: npm run build && npm run schema').toBe(expected);
    }
  });

  it('is a draft 2020-12 JSON Schema for the PlanDocument fields of SPEC §2', () => {
    const schema = planDocumentJsonSchema() as { $schema?: string; properties?: Record<string, unknown>; required?: string[] };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties ?? {})).toEqual(['schemaVersion', 'source', 'document', 'tasks', 'warnings']);
    expect(schema.required).toEqual(['schemaVersion', 'source', 'document', 'tasks', 'warnings']);
  });
});

describe('parsePlanDocument (the pipeline\'s validation)', () => {
  const valid = (): Record<string, unknown> => ({
    schemaVersion: '1',
    source: { path: 'a.docx', format: 'docx', sha256: 'a'.repeat(64), bytes: 10, pages: null, encoding: null },
    document: { title: 't', docNumber: null, issuer: null, issuedDate: '2022-01-02', year: 2022, disclosure: null },
    tasks: [1, 2, 3].map((n) => ({
      id: `T00${n}`,
      seq: n,
      path: ['一、x'],
      content: `c${n}`,
      units: { raw: 'u', lead: ['u'], responsible: [], cooperating: ['v'] },
      deadline: null,
      provenance: { page: null, table: 1, row: n, inherited: ['path'] },
    })),
    warnings: [{ code: 'W_1', message: 'm', task: 'T001' }, { code: 'W_2', message: 'm' }],
  });
  const outcome = (parse: (x: unknown) => unknown, x: unknown) => {
    try {
      return JSON.stringify(parse(x));
    } catch (e) {
      return `rejected: ${(e as Error).message}`;
    }
  };

  it('rejects a malformed document as PlanDocument.parse does', () => {
    const doc = valid();
    (doc.tasks as { id: string }[])[2].id = 'T001';
    expect(() => parsePlanDocument(doc)).toThrow(/duplicate task id T001/);
    expect(outcome(parsePlanDocument, { ...valid(), extra: 1 })).toBe(outcome((x) => PlanDocument.parse(x), { ...valid(), extra: 1 }));
  });

  it('gives PlanDocument.parse\'s result or error on damaged documents', () => {
    const junk: unknown[] = [null, undefined, '', 'x', 'T1', 'T0001', '2022-1-1', 0, -1, 1.5, 1948, 2201, NaN, Infinity, 2 ** 60, [], ['x'], [1], {}, true, 'docx', 'rtf'];
    let seed = 3;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // every path to a value in the document
    const paths = (x: unknown, at: (string | number)[] = []): (string | number)[][] => {
      if (x === null || typeof x !== 'object') return [at];
      const keys = Array.isArray(x) ? x.map((_, i) => i) : Object.keys(x);
      return [at, ...keys.flatMap((k) => paths((x as Record<string | number, unknown>)[k], [...at, k]))];
    };
    for (let it = 0; it < 400; it++) {
      const doc = valid();
      const all = paths(doc).filter((p) => p.length > 0);
      const p = all[rnd(all.length)];
      let parent = doc as Record<string | number, unknown>;
      for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
      const last = p[p.length - 1];
      const op = rnd(4);
      if (op === 0) delete parent[last];
      else if (op === 1) parent[`${last}x`] = 1;
      else parent[last] = junk[rnd(junk.length)];
      const fast = outcome(parsePlanDocument, doc);
      expect(fast, JSON.stringify(p)).toBe(outcome((x) => PlanDocument.parse(x), doc));
    }
    expect(outcome(parsePlanDocument, valid())).toBe(outcome((x) => PlanDocument.parse(x), valid()));
  });

  it('does not need zod for a valid document', () => {
    const zod = vi.spyOn(PlanDocument, 'parse');
    try {
      parsePlanDocument(valid());
      expect(zod).not.toHaveBeenCalled();
    } finally {
      zod.mockRestore();
    }
  });
});
