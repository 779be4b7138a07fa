/**
 * How a U-Net is fine-tuned on sparse strokes: 'supervised' (the strokes
 * alone: masked CE and the smoothness term) or 'simcvd' (the same plus
 * SimCVD's mean teacher on the scan's unlabelled slices; simcvdExtension.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import type { UNet } from '../unet';
import type { Volume } from '../volume';
import { createSimcvd, type SimcvdExtension, type SimcvdOptions } from './simcvdExtension';
import { unlabelledSlices } from './unlabelledSlices';

/**
 * The methods this code implements. The names a user can ask for are the
 * contract's (shared/contract/trainer/finetuneMethod.ts); the trainer passes
 * them here, so a name added there without an implementation here fails to compile.
 */
export type ImplementedFinetuneMethod = 'supervised' | 'simcvd';

/**
 * The fine-tuner extension of `method` for `unet`, fed with the slices of
 * `volume` (normalised, on the labels' grid) outside `labelledSlices`; none
 * for 'supervised'. The fine-tuner that receives it disposes it. `simcvd` overrides SimCVD's
 * settings (experiments and diagnosis; the defaults otherwise).
 */
export function methodExtension(method: ImplementedFinetuneMethod, unet: UNet, volume: Volume, labelledSlices: readonly number[], size: number, seed: number, simcvd: Omit<SimcvdOptions, 'seed'> = {}): SimcvdExtension | undefined {
  if (method === 'supervised') return undefined;
  const extension = createSimcvd(unet, { ...simcvd, seed });
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
