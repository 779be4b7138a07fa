/**
 * The command-line options the fine-tuning benches share (bench/realQuality.ts,
 * bench/bnDiagnosis.ts), as a node:util parseArgs option table: the case, the
 * seeds (comma-separated), K stroked slices per structure, and the training
 * settings of `macl eval` with the defaults of its quick runs.
 */
export function finetuneBenchOptions(defaultCase: string) {
  return {
    case: { type: 'string', default: defaultCase },
    seeds: { type: 'string', default: '1' },
    k: { type: 'string', default: '3' },
    steps: { type: 'string', default: '120' },
    size: { type: 'string', default: '64' },
    width: { type: 'string', default: '16' },
    batch: { type: 'string', default: '4' },
    lr: { type: 'string', default: '5e-3' },
    intensity: { type: 'boolean', default: false },
  } as const;
}
