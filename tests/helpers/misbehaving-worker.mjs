// A batch worker that misbehaves on demand, for the parent's recovery paths.
// Files whose name contains "hang" are marked started and then block the
// thread for good (the parent's timeout must end it); "oom" ones allocate
// until the worker's heap limit kills the thread. Every other file goes
// through the real worker's conversion.
import { convertTask, markStarted } from '../../dist/batch/worker.js';
import { oneAtATime } from '../../dist/batch/one-at-a-time.js';

export default oneAtATime(async (task) => {
  if (task.rel.includes('hang')) {
    markStarted(task);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
  if (task.rel.includes('oom')) {
    markStarted(task);
    const hoard = [];
    for (;;) hoard.push(new Array(1 << 16).fill(hoard.length));
  }
  return convertTask(task);
});
