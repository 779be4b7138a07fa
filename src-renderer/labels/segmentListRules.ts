/**
 * Rules for the segment list a label document holds: what a valid list is,
 * and how an undone list is merged with the current view state (hiding or
 * locking a segment is not an edit, so undo keeps it as the user left it).
 */
import { segmentListSchema, type Segment } from '../../src-main/shared/contract/labels';
import { LabelEditError } from './labelEditError';

/** The list, checked against the contract; throws a LabelEditError naming the first problem. */
export function checkSegmentList(list: readonly Segment[]): readonly Segment[] {
  const parsed = segmentListSchema.safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : issue.path.length > 0 ? ` (segment ${issue.path.join('.')})` : '';
    throw new LabelEditError(`The segment list is not valid${where}: ${issue?.message ?? 'unknown problem'}.`);
  }
  return Object.freeze(parsed.data.map((segment) => Object.freeze({ ...segment, category: { ...segment.category }, type: { ...segment.type } })));
}

/** `target` with `visible` and `locked` taken from `current` for segments both hold. */
export function keepViewState(target: readonly Segment[], current: readonly Segment[]): readonly Segment[] {
  const byLabel = new Map(current.map((segment) => [segment.label, segment]));
  return Object.freeze(target.map((segment) => {
    const now = byLabel.get(segment.label);
    return now === undefined ? segment : Object.freeze({ ...segment, visible: now.visible, locked: now.locked });
  }));
}

/** A 256-entry table: 1 for each label that may be written (0 and every unlocked segment). */
export function writableLabels(segments: readonly Segment[], extraLocked: ReadonlySet<number> = new Set()): Uint8Array {
  const table = new Uint8Array(256);
  table[0] = 1;
  for (const segment of segments) if (!segment.locked && !extraLocked.has(segment.label)) table[segment.label] = 1;
  return table;
}

/** Labels of locked segments, plus `extra`. */
export function lockedLabelSet(segments: readonly Segment[], extra: ReadonlySet<number> = new Set()): Set<number> {
  const locked = new Set(extra);
  for (const segment of segments) if (segment.locked) locked.add(segment.label);
  return locked;
}
