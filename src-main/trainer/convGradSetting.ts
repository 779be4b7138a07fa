/**
 * MACL_CONV_GRAD=fast|forward|stock forces the convolutions' gradient path
 * (src-main/ml/conv2dFastGrad.ts) in the trainer and the CLI, for measuring
 * the paths against each other on a backend (docs/benchmarks.md). Unset: each
 * backend's measured choice.
 */
import { convGradPaths, forceConvGradPath, type ConvGradPath } from '../ml/conv2dFastGrad';

/** Applies MACL_CONV_GRAD from `env`; returns a message for a value it does not know (then nothing is forced). */
export function applyConvGradSetting(env: Readonly<Record<string, string | undefined>>): string | null {
  const raw = env.MACL_CONV_GRAD;
  if (raw === undefined || raw === '') return null;
  if (!(convGradPaths as readonly string[]).includes(raw)) return `MACL_CONV_GRAD must be one of ${convGradPaths.join(', ')}, got "${raw}"; using each backend's own choice.`;
  forceConvGradPath(raw as ConvGradPath);
  return null;
}
