/**
 * The one line that says what pre-training a session's init model had, for the training panel
 * and the trainer's own start message alike.
 */
import type { InitPretraining } from './contract/sessionApi';

/** "pre-trained 300 of 300 steps on 4 series of /archive, 2026-12-06" */
export function describePretraining(p: InitPretraining): string {
  const where = p.archive === null ? `${p.seriesCount} series` : `${p.seriesCount} series of ${p.archive}`;
  return `pre-trained ${p.steps} of ${p.totalSteps} steps on ${where}, ${p.created.slice(0, 10)}`;
}
