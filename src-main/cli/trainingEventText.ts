/**
 * The text form of pre-training and fine-tuning events and of a saved model
 * record, shared by macl pretrain, finetune and models.
 */
import type { PretrainEvent } from '../shared/contract/trainer/jobSchemas';
import type { ModelRecord } from '../shared/contract/modelRecord';
import { formatDuration, formatLosses, formatStep } from './jobProgress';

/** The progress line of a step or loading event; null for the others. */
export function trainingProgressLine(event: PretrainEvent): string | null {
  if (event.type === 'progress') return formatStep(event);
  if (event.type === 'loading') return `loading ${event.done}/${event.total}: ${event.message}`;
  return null;
}

/** A line of its own for notes and checkpoints; null for the others. */
export function trainingEventLine(event: PretrainEvent): string | null {
  if (event.type === 'note') return event.message;
  if (event.type === 'checkpoint') return `checkpoint: "${event.model.name}" version ${event.model.version} (${event.model.id}) at step ${event.step}`;
  return null;
}

/** A few lines describing a model record. */
export function describeModel(record: ModelRecord): string {
  const spec = `width ${record.spec.width}, size ${record.spec.size}${record.spec.classes === null ? '' : `, ${record.spec.classes} classes`}`;
  const lines = [
    `"${record.name}" version ${record.version} (${record.id}): ${record.kind}, ${spec}`,
    `  steps ${record.steps}${record.steps < record.totalSteps ? ` of ${record.totalSteps} (intermediate checkpoint)` : ''}; last losses: ${formatLosses(record.losses) || 'none'}`,
    `  trained on ${record.backend} (${record.device}); created ${record.created}${record.parentId === null ? '' : `; from ${record.parentId}`}`,
  ];
  const data = record.data;
  if (data.archiveRoot !== null) lines.push(`  data: archive ${data.archiveRoot}, ${data.seriesCount} series`);
  if (data.labelsPath !== null) {
    const counts = data.series[0]?.labelledVoxels ?? {};
    lines.push(`  data: labels ${data.labelsPath}; labelled voxels per class: ${Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  }
  return lines.join('\n');
}

/** The closing lines of a training command. */
export function trainingSummary(record: ModelRecord, seconds?: number): string {
  return `Saved ${describeModel(record)}${seconds === undefined ? '' : `\n  ${formatDuration(seconds)}`}`;
}
