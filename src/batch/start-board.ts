/**
 * The start board: a shared Int32Array on which a worker marks, per lane (one
 * file in flight), when it really starts the file and on which thread. The
 * parent's timeout clock reads it (a worker holds a queued file while it
 * converts another, so the parent cannot start the clock when it hands the
 * file over). Both sides go through these functions, which alone know the layout.
 */
const FIELDS = 2; // 1 + ms since the epoch (0 = not started), threadId

export function newStartBoard(lanes: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * FIELDS * Math.max(1, lanes)));
}

export function markStart(board: Int32Array, lane: number, epoch: number, threadId: number): void {
  Atomics.store(board, lane * FIELDS + 1, threadId);
  Atomics.store(board, lane * FIELDS, 1 + Math.max(0, Date.now() - epoch));
}

export function clearStart(board: Int32Array, lane: number): void {
  Atomics.store(board, lane * FIELDS, 0);
}

/** Milliseconds since the epoch at which the lane's file started, or null when it has not. */
export function startedAt(board: Int32Array, lane: number): number | null {
  const v = Atomics.load(board, lane * FIELDS);
  return v === 0 ? null : v - 1;
}

export function threadOf(board: Int32Array, lane: number): number {
  return Atomics.load(board, lane * FIELDS + 1);
}
