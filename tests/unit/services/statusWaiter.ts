/** Test helper: waits for a supervisor status that satisfies a predicate, remembering every status seen. */
import type { TrainerStatus } from '../../../src-main/shared/contract/compute';
import type { TrainerSupervisor } from '../../../src-main/services/trainerSupervisor';

export function recordStatuses(supervisor: TrainerSupervisor): { seen: TrainerStatus[]; stop: () => void } {
  const seen: TrainerStatus[] = [];
  const stop = supervisor.onStatus((status) => seen.push(status));
  return { seen, stop };
}

export function waitForStatus(supervisor: TrainerSupervisor, predicate: (status: TrainerStatus) => boolean, timeoutMs: number): Promise<TrainerStatus> {
  const now = supervisor.status();
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`No matching trainer status within ${timeoutMs} ms; last: ${JSON.stringify(supervisor.status())}`));
    }, timeoutMs);
    const off = supervisor.onStatus((status) => {
      if (!predicate(status)) return;
      clearTimeout(timer);
      off();
      resolve(status);
    });
  });
}
