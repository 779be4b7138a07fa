/**
 * The compute backend for commands that train or infer in the CLI's own
 * process, chosen by the trainer's code: a forced backend is loaded with the
 * trainer's loader; 'auto' runs the trainer's measured probe.
 */
import { backendPreferenceSchema, type BackendPreference } from '../shared/contract/compute';
import { activateBackend } from '../trainer/backends/loadBackend';
import { findSwiftShaderIcd, swiftShaderEnv } from '../trainer/backends/swiftShaderIcd';
import type { JobBackend } from '../trainer/jobs/jobContext';
import { runProbe } from '../trainer/probe';

/** Parses a --backend value; null when it is not one of the choices. */
export function parseBackendPreference(raw: string | undefined): BackendPreference | null {
  const parsed = backendPreferenceSchema.safeParse(raw ?? 'auto');
  return parsed.success ? parsed.data : null;
}

/** The choices, for usage texts and errors. */
export const backendChoices = backendPreferenceSchema.options.join(', ');

/** Activates the backend for `preference`; throws with the reason when it cannot be used. */
export async function prepareBackend(preference: BackendPreference, log: (line: string) => void): Promise<JobBackend> {
  // tfjs's own console output (its CPU backend's "install tfjs-node" banner) is
  // silenced by activateBackend unless --verbose (trainer/backends/thirdPartyOutput.ts).
  return preference === 'auto' ? probeAuto(log) : activateForced(preference);
}

async function probeAuto(log: (line: string) => void): Promise<JobBackend> {
  const report = await runProbe('auto', { log });
  return { kind: report.chosen.backend, device: report.chosen.device };
}

async function activateForced(preference: Exclude<BackendPreference, 'auto'>): Promise<JobBackend> {
  // The trainer supervisor sets this for a forked trainer; in-process it must be set before Dawn loads.
  if (preference === 'webgpu-swiftshader' && process.env.VK_ICD_FILENAMES === undefined) {
    const icd = findSwiftShaderIcd();
    if (icd !== null) Object.assign(process.env, swiftShaderEnv(icd));
  }
  const load = await activateBackend(preference);
  if (!load.ok) throw new Error(`The "${preference}" backend is not usable: ${load.reason}. Use --backend auto to pick the fastest one that works.`);
  return { kind: preference, device: load.device };
}
