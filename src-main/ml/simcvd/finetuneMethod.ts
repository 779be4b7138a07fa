/**
 * How a U-Net is fine-tuned on sparse strokes: 'supervised' (the strokes
 * alone: masked CE and the smoothness term) or 'simcvd' (the same plus
 * SimCVD's mean teacher on the scan's unlabelled slices; simcvdExtension.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import type { UNet } from '../unet';
import type { Volume } from '../volume';
import { createSimcvd, type SimcvdExtension } from './simcvdExtension';
import { unlabelledSlices } from './unlabelledSlices';

export const finetuneMethods = ['supervised', 'simcvd'] as const;
export type FinetuneMethod = (typeof finetuneMethods)[number];

/** The default: what measured best in docs/eval-protocol.md. */
export const defaultFinetuneMethod: FinetuneMethod = 'supervised';

/** Narrows a string to a method, or null. */
export function parseFinetuneMethod(value: string): FinetuneMethod | null {
  return (finetuneMethods as readonly string[]).includes(value) ? (value as FinetuneMethod) : null;
}

/**
 * The fine-tuner extension of `method` for `unet`, fed with the slices of
 * `volume` (normalised, on the labels' grid) outside `labelledSlices`; none
 * for 'supervised'. The fine-tuner that receives it disposes it.
 */
export function methodExtension(method: FinetuneMethod, unet: UNet, volume: Volume, labelledSlices: readonly number[], size: number, seed: number): SimcvdExtension | undefined {
  if (method === 'supervised') return undefined;
  const extension = createSimcvd(unet, { seed });
  let unlabelled: tf.Tensor4D | null = null;
  try {
    unlabelled = unlabelledSlices(volume, labelledSlices, size);
    extension.setUnlabelled(unlabelled);
  } catch (thrown) {
    extension.dispose();
    throw thrown;
  } finally {
    unlabelled?.dispose();
  }
  return extension;
}
