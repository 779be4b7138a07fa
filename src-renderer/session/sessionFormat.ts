/**
 * Words and numbers of the training panel: phases as sentences, ages,
 * durations and rates, so components stay declarative and the wording is
 * tested in one place.
 */
import type { JobRecord } from '../../src-main/shared/contract/jobRecord';
import type { SessionPhase } from '../../src-main/shared/contract/sessionApi';

const phaseText: Record<SessionPhase, string> = {
  idle: 'Waiting for strokes',
  training: 'Training',
  inferring: 'Refining slices',
  paused: 'Paused',
  restarting: 'Restarting the trainer',
  failed: 'Stopped on an error',
  closed: 'No session',
};

export function describePhase(phase: SessionPhase): string {
  return phaseText[phase];
}

/** "3 s ago", "2 min ago", or "never". */
export function formatAge(sinceMs: number | null, nowMs: number): string {
  if (sinceMs === null) return 'never';
  const seconds = Math.max(0, Math.round((nowMs - sinceMs) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min ago`;
}

/** "42 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A loss with 3 significant digits ("0.0412", "1.23"), or a dash before the first. */
export function formatLoss(loss: number | null): string {
  return loss === null ? '–' : loss.toPrecision(3);
}

export function formatRate(perSecond: number, unit: string): string {
  return `${perSecond >= 10 ? perSecond.toFixed(0) : perSecond.toFixed(2)} ${unit}`;
}

/** Percent of a job's steps done (null while it has no step count). */
export function jobPercent(job: Pick<JobRecord, 'step' | 'totalSteps'>): number | null {
  return job.totalSteps > 0 ? Math.min(100, Math.floor((100 * job.step) / job.totalSteps)) : null;
}

/** Jobs that can be stopped, and those that can be continued from their checkpoint. */
export function canCancelJob(job: Pick<JobRecord, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}

export function canResumeJob(job: Pick<JobRecord, 'state'>): boolean {
  return job.state === 'cancelled' || job.state === 'interrupted' || job.state === 'failed';
}
