import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planDocumentJsonSchema } from '../src/model/schema.js';

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
