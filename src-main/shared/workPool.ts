/**
 * Runs an async function over many items with a bounded number in flight:
 * enough to keep the disk and the thread pool busy, few enough to keep
 * memory flat. Stops starting new items once cancelled.
 */
import { isCancelled, type CancelLike } from './cancellation';

/** Applies `work` to every item (at most `concurrency` at once); results keep the items' order. Unstarted items are undefined after cancellation. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>, signal?: CancelLike): Promise<(R | undefined)[]> {
  const results = new Array<R | undefined>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !isCancelled(signal)) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
