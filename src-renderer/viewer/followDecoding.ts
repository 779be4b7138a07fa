/**
 * Counts a volume's slices as the workers finish them, successes and
 * failures alike (cornerstone reports a failed slice only as an image load
 * error, never as volume progress), and resolves when every slice is done.
 */
import { Enums, eventTarget, type Types } from '@cornerstonejs/core';
import { listen } from './listen';
import type { Unsubscribe } from './viewerApi';

/** Progress of decoding: slices finished and slices that failed. */
export interface DecodeCount {
  readonly done: number;
  readonly failed: number;
}

/** Follows decoding of `imageIds`; `onCount` after each slice. `finished` resolves with the last count. */
export function followDecoding(imageIds: readonly string[], onCount: (count: DecodeCount) => void): { readonly finished: Promise<DecodeCount>; readonly stop: Unsubscribe } {
  const pending = new Set(imageIds);
  let failed = 0;
  let stop: Unsubscribe = () => undefined;
  const finished = new Promise<DecodeCount>((resolve) => {
    const settle = (imageId: string, ok: boolean): void => {
      if (!pending.delete(imageId)) return;
      if (!ok) failed++;
      const count = { done: imageIds.length - pending.size, failed };
      onCount(count);
      if (pending.size === 0) {
        stop();
        resolve(count);
      }
    };
    const offs = [
      listen<{ image: Types.IImage }>(eventTarget, Enums.Events.IMAGE_LOADED, ({ image }) => settle(image.imageId, true)),
      listen<{ imageId: string }>(eventTarget, Enums.Events.IMAGE_LOAD_ERROR, ({ imageId }) => settle(imageId, false)),
    ];
    stop = () => offs.forEach((off) => off());
  });
  return { finished, stop };
}
