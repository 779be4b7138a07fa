/**
 * The segments (structures) of the series in view: each a label value
 * (1..254; 0 is nothing and 255 is reserved), a name, a colour, whether it is
 * shown and locked against painting, and its coded meaning (SNOMED CT
 * category and type, for DICOM-SEG). One segment is active: the brush paints
 * its label.
 *
 * The list lives in the open series' label document, so it is saved with the
 * labels and adding, renaming, recolouring, coding and deleting (with the
 * segment's voxels) are undo steps; showing/hiding and locking are not edits.
 * With no series open the list is kept here only.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import {
  maxSegmentLabel as contractMaxLabel,
  maxSegmentNameLength as contractMaxNameLength,
  type Segment as StoredSegment,
} from '../../src-main/shared/contract/labels';
import { err, ok, type Result } from '../../src-main/shared/result';
import { defaultSegmentCoding, type SegmentCodeEntry } from '../labels/segmentCodes';
import { nextSegmentColor, normalizeColor } from './segmentColors';
import { useLabelsStore } from './labels';

/** Labels 1..254 (255 marks background strokes and erased voxels). */
export const maxSegmentLabel = contractMaxLabel;

/** Longest name accepted; DICOM-SEG's SegmentLabel is a 64-character LO. */
export const maxSegmentNameLength = contractMaxNameLength;

/** One structure being segmented, as the panel shows it. */
export interface Segment extends StoredSegment {
  /** Stable while the segment exists: `segment-<label>`. */
  readonly id: string;
}

type SegmentChange = Partial<Omit<StoredSegment, 'label'>>;

const idOf = (label: number): string => `segment-${label}`;
const defaultName = (label: number): string => `Segment ${label}`;

export const useSegmentsStore = defineStore('segments', () => {
  const labels = useLabelsStore();
  const local = shallowRef<readonly StoredSegment[]>([]);
  const activeId = ref<string | null>(null);

  const stored = computed<readonly StoredSegment[]>(() => {
    void labels.segmentsVersion; // the document's list is not reactive; this ticks when it changes
    return labels.document?.segments ?? local.value;
  });
  const segments = computed<Segment[]>(() => stored.value.map((segment) => ({ ...segment, id: idOf(segment.label) })));
  const active = computed(() => segments.value.find((segment) => segment.id === activeId.value) ?? null);
  const isFull = computed(() => segments.value.length >= maxSegmentLabel);

  /** Replaces the list in the document (an undo step when `undoable`) or locally. */
  function commit(next: StoredSegment[], undoable: boolean): Result<void> {
    const doc = labels.document;
    if (doc === null) {
      local.value = Object.freeze(next);
      return ok(undefined);
    }
    try {
      doc.setSegments(next, { undoable });
      return ok(undefined);
    } catch (error) {
      return err('bad-request', error instanceof Error ? error.message : String(error));
    }
  }

  function find(id: string): Segment | undefined {
    return segments.value.find((segment) => segment.id === id);
  }

  function update(id: string, change: SegmentChange, undoable: boolean): Result<Segment> {
    const current = find(id);
    if (current === undefined) return err('not-found', 'That segment no longer exists.');
    const next = stored.value.map((segment) => (segment.label === current.label ? { ...segment, ...change } : segment));
    const done = commit(next, undoable);
    if (!done.ok) return done;
    return ok(find(id) as Segment);
  }

  /** The smallest label no segment uses, or null when all are taken. */
  function nextFreeLabel(): number | null {
    const used = new Set(stored.value.map((segment) => segment.label));
    for (let label = 1; label <= maxSegmentLabel; label++) if (!used.has(label)) return label;
    return null;
  }

  /** Adds a segment with the next free label, an unused colour and the default meaning (Tissue), and makes it active. */
  function add(name?: string): Result<Segment> {
    const label = nextFreeLabel();
    if (label === null) return err('bad-request', `All ${maxSegmentLabel} labels are in use: remove a segment before adding another.`);
    const cleanName = name === undefined ? defaultName(label) : name.trim();
    if (cleanName.length === 0) return err('bad-request', 'A segment needs a name.');
    const segment: StoredSegment = {
      label,
      name: cleanName.slice(0, maxSegmentNameLength),
      color: nextSegmentColor(stored.value.map((existing) => existing.color)),
      visible: true,
      locked: false,
      category: { ...defaultSegmentCoding.category },
      type: { ...defaultSegmentCoding.type },
    };
    const done = commit([...stored.value, segment], true);
    if (!done.ok) return done;
    activeId.value = idOf(label);
    return ok(find(idOf(label)) as Segment);
  }

  function rename(id: string, name: string): Result<Segment> {
    const clean = name.trim();
    if (clean.length === 0) return err('bad-request', 'A segment needs a name.');
    if (clean.length > maxSegmentNameLength) return err('bad-request', `A segment name has at most ${maxSegmentNameLength} characters.`);
    return update(id, { name: clean }, true);
  }

  function recolor(id: string, color: string): Result<Segment> {
    const clean = normalizeColor(color);
    if (clean === null) return err('bad-request', `"${color}" is not a colour of the form #rrggbb.`);
    return update(id, { color: clean }, true);
  }

  /** Sets what the segment means; a segment still named "Segment N" takes the meaning's name. */
  function setCoding(id: string, entry: SegmentCodeEntry): Result<Segment> {
    const current = find(id);
    if (current === undefined) return err('not-found', 'That segment no longer exists.');
    const change: SegmentChange = { category: { ...entry.category }, type: { ...entry.type } };
    const name = current.name === defaultName(current.label) ? entry.type.meaning.slice(0, maxSegmentNameLength) : current.name;
    return update(id, { ...change, name }, true);
  }

  function toggleVisible(id: string): Result<Segment> {
    const current = find(id);
    return current === undefined ? err('not-found', 'That segment no longer exists.') : update(id, { visible: !current.visible }, false);
  }

  function toggleLocked(id: string): Result<Segment> {
    const current = find(id);
    return current === undefined ? err('not-found', 'That segment no longer exists.') : update(id, { locked: !current.locked }, false);
  }

  /**
   * Deletes a segment and, in an open series, its voxels (one undo step);
   * if it was active, its neighbour becomes active so painting can go on.
   */
  function remove(id: string): Result<Segment> {
    const index = segments.value.findIndex((segment) => segment.id === id);
    const removed = segments.value[index];
    if (removed === undefined) return err('not-found', 'That segment no longer exists.');
    if (removed.locked) return err('bad-request', `${removed.name} is locked; unlock it before deleting it.`);
    const doc = labels.document;
    if (doc === null) {
      local.value = Object.freeze(stored.value.filter((segment) => segment.label !== removed.label));
    } else {
      try {
        doc.deleteSegment(removed.label);
      } catch (error) {
        return err('bad-request', error instanceof Error ? error.message : String(error));
      }
    }
    if (activeId.value === id) activeId.value = (segments.value[index] ?? segments.value[index - 1])?.id ?? null;
    return ok(removed);
  }

  /** Makes a segment the one the brush paints; null for none. */
  function select(id: string | null): void {
    if (id === null || find(id) !== undefined) activeId.value = id;
  }

  /** Forgets the local list and the active segment (another series opened). */
  function reset(): void {
    local.value = [];
    activeId.value = null;
  }

  // Another series has its own segments; an undone add or delete may take the active one away.
  watch(() => labels.seriesId, reset);
  watch(segments, (list) => {
    if (activeId.value !== null && !list.some((segment) => segment.id === activeId.value)) activeId.value = list[0]?.id ?? null;
    else if (activeId.value === null && list.length > 0 && labels.document !== null) activeId.value = list[0]?.id ?? null;
  });

  return {
    segments, activeId, active, isFull,
    nextFreeLabel, add, rename, recolor, setCoding, toggleVisible, toggleLocked, remove, select, reset,
  };
});
