/**
 * The compute backend for commands that train or infer in the CLI's own
 * process, chosen by the trainer's code: a forced backend is loaded with the
 * trainer's loader; 'auto' runs the trainer's measured probe.
 */
import type { OptionSpec, OptionValues } from '../services/commandLineOptions';
import { backendPreferenceSchema, type BackendPreference } from '../shared/contract/compute';
import { activateBackend } from '../trainer/backends/loadBackend';
import { findSwiftShaderIcd, swiftShaderEnv } from '../trainer/backends/swiftShaderIcd';
import type { JobBackend } from '../trainer/jobs/jobContext';
import { runProbe } from '../trainer/probe';

/** The --backend option; a value that is not one of the choices is refused, naming them. */
export const backendOption: OptionSpec = { kind: 'choice', choices: backendPreferenceSchema.options };

/** The --backend value of options parsed with backendOption (default auto). */
export function backendOf(values: OptionValues): BackendPreference {
  return backendPreferenceSchema.parse(values.backend ?? 'auto');
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
