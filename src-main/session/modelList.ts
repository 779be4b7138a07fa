/**
 * The registry as the model picker sees it, and what init 'default' means:
 * the newest complete pre-trained model (a finished pre-training, not an
 * intermediate checkpoint of one still running), else scratch.
 */
import type { ModelList, ModelSummary } from '../shared/contract/modelSummary';
import { isIntermediate, type ModelRecord } from '../shared/contract/modelRecord';
import type { ModelRegistry } from '../workspace/modelRegistry';

/** Series ids listed per model at most (a pre-training may have read thousands). */
const seriesListed = 20;

export function summarizeModel(record: ModelRecord): ModelSummary {
  return {
    id: record.id,
    name: record.name,
    version: record.version,
    kind: record.kind,
    created: record.created,
    steps: record.steps,
    totalSteps: record.totalSteps,
    intermediate: isIntermediate(record),
    width: record.spec.width,
    classes: record.spec.classes,
    size: record.spec.size,
    backend: record.backend,
    device: record.device,
    parentId: record.parentId,
    losses: record.losses,
    seriesIds: record.data.series.slice(0, seriesListed).map((series) => series.seriesId),
  };
}

/** The newest complete pre-trained model of `records` (newest first), or null. */
export function defaultInitOf(records: readonly ModelRecord[]): ModelRecord | null {
  return records.find((record) => record.kind === 'pretrained' && !isIntermediate(record)) ?? null;
}

/**
 * The newest model an interactive session of `seriesId` saved (sessions
 * mark their records `interactive` and name the one series they trained on),
 * or null.
 */
export function sessionModelOf(records: readonly ModelRecord[], seriesId: string): ModelRecord | null {
  return records.find((record) => record.kind === 'finetuned' && record.settings['interactive'] === true && record.data.series.length === 1 && record.data.series[0]?.seriesId === seriesId) ?? null;
}

export async function listModels(registry: ModelRegistry): Promise<ModelList> {
  const records = await registry.list();
  const chosen = defaultInitOf(records);
  return {
    models: records.map(summarizeModel),
    defaultInit: chosen === null ? null : { id: chosen.id, name: chosen.name },
    problems: [...registry.problems],
  };
}
