/**
 * Runs work one piece at a time, in the order it was asked for. The trainer
 * has one tfjs engine with one active backend: a probe switches it, and two
 * trainings at once would halve each other's speed and double the memory.
 */
export interface JobQueue {
  /** Runs `work` after everything queued before it has settled. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createJobQueue(): JobQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(work) {
      const next = tail.then(work);
      tail = next.catch(() => undefined);
      return next;
    },
  };
}
