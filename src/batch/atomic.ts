/** Atomic file writes, shared by the batch parent and its workers (no pipeline imports here). */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { assertInside } from './names.js';

const checkedDirs = new Set<string>();

/** Temp file in the same folder + rename: a reader never sees half an output. */
export async function writeAtomic(target: string, text: string, outRoot: string): Promise<void> {
  const dir = path.dirname(target);
  // Created and checked once per folder and thread: an archive has many files per folder.
  const key = `${outRoot}\0${dir}`;
  if (!checkedDirs.has(key)) {
    await fs.mkdir(dir, { recursive: true });
    // A symlinked sub-folder inside the output folder must not lead writes elsewhere.
    assertInside(outRoot, path.join(await fs.realpath(dir), path.basename(target)));
    if (checkedDirs.size > 10_000) checkedDirs.clear();
    checkedDirs.add(key);
  }
  const tmp = `${target}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, text, { flag: 'wx' });
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.unlink(tmp).catch(() => {});
    throw err;
  }
}

