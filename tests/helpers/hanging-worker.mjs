// A batch worker that, for files whose name contains "hang", marks the file
// started and then blocks its thread for good: the parent's timeout must end
// it. Every other file goes through the real worker's conversion.
import { convertTask, markStarted, oneAtATime } from '../../dist/batch/worker.js';

export default oneAtATime(async (task) => {
  if (task.rel.includes('hang')) {
    markStarted(task);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
  return convertTask(task);
});
