/**
 * How a U-Net is fine-tuned on sparse strokes: 'supervised' (the strokes
 * alone) or 'simcvd' (the same plus SimCVD's mean teacher on the scan's
 * unlabelled slices). The names travel in job parameters; the code is
 * src-main/ml/simcvd/finetuneMethod.ts.
 */
export const finetuneMethods = ['supervised', 'simcvd'] as const;
export type FinetuneMethod = (typeof finetuneMethods)[number];

/** The default: what measured best in docs/eval-protocol.md. */
export const defaultFinetuneMethod: FinetuneMethod = 'supervised';

/** Narrows a string to a method, or null. */
export function parseFinetuneMethod(value: string): FinetuneMethod | null {
  return (finetuneMethods as readonly string[]).includes(value) ? (value as FinetuneMethod) : null;
}
