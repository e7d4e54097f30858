#!/usr/bin/env node
// Writes schemas/plan-document.schema.json from the zod schema (src/model/schema.ts).
// Needs a build first: `npm run build && npm run schema`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let planDocumentJsonSchema;
try {
  ({ planDocumentJsonSchema } = await import('../dist/model/schema.js'));
} catch (err) {
  process.stderr.write(`gen-schema: cannot load dist/model/schema.js (run \`npm run build\` first): ${err.message}\n`);
  process.exit(1);
}

const dir = fileURLToPath(new URL('../schemas/', import.meta.url));
const target = new URL('../schemas/plan-document.schema.json', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(target, JSON.stringify(planDocumentJsonSchema(), null, 2) + '\n');
process.stdout.write(`wrote ${fileURLToPath(target)}\n`);
