/**
 * Whether a session's settings fit the memory of the trainer's backend
 * (shared/contract/stepMemory.ts has the estimate and why). The width is the
 * session's width for a model from scratch; an init model brings its own, so
 * for those this is an estimate.
 */
import type { BackendKind } from '../shared/contract/compute';
import type { SessionSettings } from '../shared/contract/sessionApi';
import { stepMemoryProblem, trainingStepBytes } from '../shared/contract/stepMemory';

/** Estimated peak tensor bytes of one fine-tuning step with these settings. */
export function finetuneStepBytes(settings: Pick<SessionSettings, 'batch' | 'size' | 'width'>): number {
  return trainingStepBytes(settings);
}

/** A sentence for the user when the settings cannot fit the backend, else null. */
export function settingsMemoryProblem(backend: BackendKind | null, settings: SessionSettings): string | null {
  return stepMemoryProblem(backend, settings, 'These settings');
}
