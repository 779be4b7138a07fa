/**
 * `macl probe` and the compute part of `macl bench`: starts the real trainer
 * process through the same supervisor the app uses, and prints what its
 * backend probe measured.
 */
import path from 'node:path';
import type { BackendPreference, ProbeReport, TrainerStatus } from '../shared/contract/compute';
import { createForkSpawner } from '../services/forkTrainer';
import { createTrainerSupervisor } from '../services/trainerSupervisor';

export async function probeThroughTrainer(preference: BackendPreference, log: (line: string) => void): Promise<TrainerStatus> {
  const supervisor = createTrainerSupervisor({
    spawn: createForkSpawner(path.join(__dirname, 'trainer.cjs')),
    preference,
    log,
  });
  try {
    return await supervisor.start();
  } finally {
    await supervisor.dispose();
  }
}

function cell(value: string, width: number): string {
  return value.length >= width ? value : value + ' '.repeat(width - value.length);
}

/** A plain-text table of every backend probed, the chosen one marked. */
export function formatProbeReport(report: ProbeReport): string {
  const lines = [
    `workload: ${report.workload}`,
    `preference: ${report.preference}; chosen: ${report.chosen.backend} (${report.chosen.device})`,
    '',
    `  ${cell('backend', 20)}${cell('usable', 8)}${cell('GFLOP/s', 10)}${cell('step ms', 10)}device / reason`,
  ];
  for (const probe of report.probes) {
    const mark = probe.backend === report.chosen.backend ? '*' : ' ';
    lines.push(
      `${mark} ${cell(probe.backend, 20)}${cell(probe.usable ? 'yes' : 'no', 8)}${cell(probe.gflops?.toFixed(2) ?? '-', 10)}${cell(
        probe.stepMs?.toFixed(1) ?? '-',
        10,
      )}${probe.device}${probe.reason === null ? '' : ` (${probe.reason})`}`,
    );
  }
  return lines.join('\n');
}
