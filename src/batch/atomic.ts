/** Atomic file writes, shared by the batch parent and its workers (no pipeline imports here). */
import { randomBytes } from 'node:crypto';
import { mkdirSync, promises as fs, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { assertInside } from './names.js';

const checkedDirs = new Set<string>();

function tempName(target: string): string {
  return `${target}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}.tmp`;
}

function remember(key: string): void {
  if (checkedDirs.size > 10_000) checkedDirs.clear();
  checkedDirs.add(key);
}

/** Temp file in the same folder + rename: a reader never sees half an output. */
export async function writeAtomic(target: string, text: string, outRoot: string): Promise<void> {
  const dir = path.dirname(target);
  // Created and checked once per folder and thread: an archive has many files per folder.
  const key = `${outRoot}\0${dir}`;
  if (!checkedDirs.has(key)) {
    await fs.mkdir(dir, { recursive: true });
    // A symlinked sub-folder inside the output folder must not lead writes elsewhere.
    assertInside(outRoot, path.join(await fs.realpath(dir), path.basename(target)));
    remember(key);
  }
  const tmp = tempName(target);
  try {
    await fs.writeFile(tmp, text, { flag: 'wx' });
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.unlink(tmp).catch(() => {});
    throw err;
  }
}

/**
 * The same, blocking: for batch workers, which convert one file at a time, so
 * there is nothing to overlap with, and every asynchronous file call would be
 * a round trip through the thread pool (measured 1.8 ms against 0.5 ms per
 * output on a busy 2-core machine).
 */
export function writeAtomicSync(target: string, text: string, outRoot: string): void {
  const dir = path.dirname(target);
  const key = `${outRoot}\0${dir}`;
  if (!checkedDirs.has(key)) {
    mkdirSync(dir, { recursive: true });
    assertInside(outRoot, path.join(realpathSync(dir), path.basename(target)));
    remember(key);
  }
  const tmp = tempName(target);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, target);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw err;
  }
}
