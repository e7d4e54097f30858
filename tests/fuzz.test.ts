/**
 * Small seeded fuzz run in `npm test` (the large one is `npm run fuzz`):
 * mutated fixtures (bits flipped, truncated, junk inserted, zip entries
 * corrupted) fed to convert(). Only a clean PlanDocument or an InputError is
 * allowed; any other exception or a hang fails, naming seed, case and mutation.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-ignore plain ESM script without type declarations
import { caseSeed, fixtureFiles, mutate } from '../scripts/fuzz.js';
import { InputError } from '../src/model/document.js';
import { convert } from '../src/pipeline.js';
import { ROOT } from './helpers/batch-cli.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const COUNT = Number(process.env.FUZZ_COUNT ?? 60);
const PER_CALL_MS = 20_000;

const files: string[] = fixtureFiles(ROOT);
const cache = new Map<string, Uint8Array>();
const bytesOf = (f: string) => {
  let b = cache.get(f);
  if (!b) cache.set(f, (b = new Uint8Array(readFileSync(f))));
  return b;
};

describe(`fuzz: ${COUNT} mutations, seed ${SEED}`, () => {
  for (let i = 0; i < COUNT; i++) {
    const cs: number = caseSeed(SEED, i);
    const file = files[cs % files.length];
    it(`case ${i} (${path.basename(file)})`, { timeout: PER_CALL_MS + 5_000 }, async () => {
      const [bytes, desc] = mutate(bytesOf(file), cs) as [Uint8Array, string];
      const where = `seed ${SEED} case ${i} (node scripts/fuzz.js --seed ${SEED} --case ${i}): ${path.relative(ROOT, file)} [${desc}]`;
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<'hang'>((res) => { timer = setTimeout(() => res('hang'), PER_CALL_MS); });
      const outcome = await Promise.race([
        convert({ bytes, path: path.basename(file) }).then(
          (doc) => ({ ok: true as const, doc }),
          (err: unknown) => ({ ok: false as const, err }),
        ),
        hang,
      ]).finally(() => clearTimeout(timer));
      if (outcome === 'hang') throw new Error(`hang (> ${PER_CALL_MS} ms): ${where}`);
      if (!outcome.ok && !(outcome.err instanceof InputError)) {
        const e = outcome.err as Error;
        throw new Error(`unexpected ${e?.name ?? 'exception'}: ${e?.message ?? String(e)}\n  ${where}\n${e?.stack ?? ''}`);
      }
      if (outcome.ok) expect(outcome.doc.schemaVersion).toBe('1');
      else expect((outcome.err as Error).message.length).toBeGreaterThan(0);
    });
  }
});
