/**
 * The end of a pre-training job, in the user's terms: when the workspace has labelled scans, a
 * short fine-tuning on half of their labelled slices from scratch and from the new model, scored
 * on the other half (heldOutBenefit.ts), reported as one line. Bounded (a few scans, a
 * fixed number of steps) and stoppable; a failure or a stop leaves the saved model as it is.
 */
import { CancelledError, isCancelled, type CancelLike } from '../../shared/cancellation';
import { heldOutBenefitLine, measureHeldOutBenefit } from './heldOutBenefit';
import type { TensorSource } from '../../ml/transfer';
import { loadWorkspaceLabelled } from './workspaceLabelled';

export interface BenefitCheck {
  readonly workspaceDir: string;
  readonly model: TensorSource;
  readonly size: number;
  readonly width: number;
  readonly steps: number;
  readonly scans: number;
  readonly signal?: CancelLike;
  /** Progress for the job's phase line. */
  readonly onPhase?: (message: string) => void;
}

const stoppedLine = 'The check of the new model on your labelled scans was stopped; the model is saved.';

/** The line for the job's result, or null when the workspace has no usable labelled scan. */
export async function pretrainBenefitNote(check: BenefitCheck): Promise<string | null> {
  try {
    check.onPhase?.('looking for labelled scans to measure the new model on');
    const { volumes, skipped } = await loadWorkspaceLabelled(check.workspaceDir, check.scans, check.signal);
    if (isCancelled(check.signal)) return stoppedLine;
    const passedOver = skipped.length > 0 ? ` (${skipped.length} label file${skipped.length === 1 ? '' : 's'} passed over: ${skipped.slice(0, 2).join('; ')})` : '';
    if (volumes.length === 0) return skipped.length > 0 ? `No labelled scan could be used to measure the new model${passedOver}.` : null;
    check.onPhase?.(`measuring the new model on ${volumes.length} labelled scan${volumes.length === 1 ? '' : 's'}`);
    const benefit = await measureHeldOutBenefit(volumes, check.model, { size: check.size, width: check.width, steps: check.steps, ...(check.signal === undefined ? {} : { signal: check.signal }) });
    if (benefit === null) return `Your labelled scans have too few labelled slices (two with a structure are needed) to measure the new model on.${passedOver}`;
    return `${heldOutBenefitLine(benefit)}${passedOver}`;
  } catch (thrown) {
    if (thrown instanceof CancelledError || (thrown instanceof Error && thrown.name === 'AbortError')) return stoppedLine;
    return `Could not measure the new model on your labelled scans: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
  }
}
