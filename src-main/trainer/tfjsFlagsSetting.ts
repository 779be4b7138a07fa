/**
 * MACL_TFJS_FLAGS='{"FLAG": value, ...}' sets tfjs environment flags (for
 * example tfjs-backend-webgpu's WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE) in the
 * trainer and the CLI after a backend is active, so a GPU machine can compare
 * backend settings without a rebuild (docs/benchmarks.md). Unset: the
 * project's own choices (src-main/trainer/backends/backendTuning.ts).
 */
import * as tf from '@tensorflow/tfjs';

/** The flags named by MACL_TFJS_FLAGS, or a message saying why the value cannot be used. */
export function parseTfjsFlags(raw: string | undefined): { flags: Record<string, number | boolean> } | { problem: string } {
  if (raw === undefined || raw.trim() === '') return { flags: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { problem: `MACL_TFJS_FLAGS must be a JSON object such as {"WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE": 64}, got ${JSON.stringify(raw)}.` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: `MACL_TFJS_FLAGS must be a JSON object, got ${JSON.stringify(raw)}.` };
  const flags: Record<string, number | boolean> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'number' && typeof value !== 'boolean') return { problem: `MACL_TFJS_FLAGS: ${name} must be a number or true/false, got ${JSON.stringify(value)}.` };
    flags[name] = value;
  }
  return { flags };
}

/** Sets MACL_TFJS_FLAGS from `env` on tfjs; returns one message per value it could not use (an unknown flag, bad JSON). */
export function applyTfjsFlagsSetting(env: Readonly<Record<string, string | undefined>>): string[] {
  const parsed = parseTfjsFlags(env.MACL_TFJS_FLAGS);
  if ('problem' in parsed) return [parsed.problem];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(parsed.flags)) {
    try {
      tf.env().set(name, value);
    } catch (thrown) {
      problems.push(`MACL_TFJS_FLAGS: ${name} was not set (${thrown instanceof Error ? thrown.message : String(thrown)}).`);
    }
  }
  return problems;
}
