/**
 * The segments (structures) of the series in view: each a label value in the
 * labelmap (1..255; 0 is background), a name, a colour, and whether it is
 * shown and locked against painting. One segment is active: the brush paints
 * its label.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { err, ok, type Result } from '../../src-main/shared/result';
import { nextSegmentColor, normalizeColor } from './segmentColors';
import { useSeriesStore } from './series';

/** The labelmap is 8-bit: labels 1..255, 0 is background. */
export const maxSegmentLabel = 255;

/** Longest name accepted; DICOM-SEG's SegmentLabel is a 64-character LO. */
export const maxSegmentNameLength = 64;

/** One structure being segmented. */
export interface Segment {
  readonly id: string;
  /** Value painted into the labelmap, 1..255. */
  readonly label: number;
  readonly name: string;
  /** `#rrggbb`. */
  readonly color: string;
  readonly visible: boolean;
  readonly locked: boolean;
}

export const useSegmentsStore = defineStore('segments', () => {
  const segments = ref<Segment[]>([]);
  const activeId = ref<string | null>(null);
  let nextId = 1;

  const active = computed(() => segments.value.find((segment) => segment.id === activeId.value) ?? null);
  const isFull = computed(() => segments.value.length >= maxSegmentLabel);

  function indexOf(id: string): number {
    return segments.value.findIndex((segment) => segment.id === id);
  }

  function update(id: string, change: Partial<Omit<Segment, 'id' | 'label'>>): Result<Segment> {
    const index = indexOf(id);
    const current = segments.value[index];
    if (current === undefined) return err('not-found', 'That segment no longer exists.');
    const next: Segment = { ...current, ...change };
    segments.value.splice(index, 1, next);
    return ok(next);
  }

  /** The smallest label no segment uses, or null when all 255 are taken. */
  function nextFreeLabel(): number | null {
    const used = new Set(segments.value.map((segment) => segment.label));
    for (let label = 1; label <= maxSegmentLabel; label++) if (!used.has(label)) return label;
    return null;
  }

  /** Adds a segment with the next free label and an unused colour, and makes it active. */
  function add(name?: string): Result<Segment> {
    const label = nextFreeLabel();
    if (label === null) {
      return err('bad-request', `All ${maxSegmentLabel} labels are in use: remove a segment before adding another.`);
    }
    const cleanName = name === undefined ? `Segment ${label}` : name.trim();
    if (cleanName.length === 0) return err('bad-request', 'A segment needs a name.');
    const segment: Segment = {
      id: `segment-${nextId++}`,
      label,
      name: cleanName.slice(0, maxSegmentNameLength),
      color: nextSegmentColor(segments.value.map((existing) => existing.color)),
      visible: true,
      locked: false,
    };
    segments.value.push(segment);
    activeId.value = segment.id;
    return ok(segment);
  }

  function rename(id: string, name: string): Result<Segment> {
    const clean = name.trim();
    if (clean.length === 0) return err('bad-request', 'A segment needs a name.');
    if (clean.length > maxSegmentNameLength) return err('bad-request', `A segment name has at most ${maxSegmentNameLength} characters.`);
    return update(id, { name: clean });
  }

  function recolor(id: string, color: string): Result<Segment> {
    const clean = normalizeColor(color);
    if (clean === null) return err('bad-request', `"${color}" is not a colour of the form #rrggbb.`);
    return update(id, { color: clean });
  }

  function toggleVisible(id: string): Result<Segment> {
    const current = segments.value[indexOf(id)];
    return current === undefined ? err('not-found', 'That segment no longer exists.') : update(id, { visible: !current.visible });
  }

  function toggleLocked(id: string): Result<Segment> {
    const current = segments.value[indexOf(id)];
    return current === undefined ? err('not-found', 'That segment no longer exists.') : update(id, { locked: !current.locked });
  }

  /** Removes a segment; if it was active, its neighbour becomes active so painting can go on. */
  function remove(id: string): Result<Segment> {
    const index = indexOf(id);
    const removed = segments.value[index];
    if (removed === undefined) return err('not-found', 'That segment no longer exists.');
    segments.value.splice(index, 1);
    if (activeId.value === id) {
      activeId.value = (segments.value[index] ?? segments.value[index - 1])?.id ?? null;
    }
    return ok(removed);
  }

  /** Makes a segment the one the brush paints; null for none. */
  function select(id: string | null): void {
    if (id === null || indexOf(id) >= 0) activeId.value = id;
  }

  /** Forgets every segment, e.g. when another series is opened. */
  function reset(): void {
    segments.value = [];
    activeId.value = null;
  }

  // Segments belong to one series: another series starts from its own (for now, none).
  const series = useSeriesStore();
  watch(() => series.selectedId, reset);

  return {
    segments, activeId, active, isFull,
    nextFreeLabel, add, rename, recolor, toggleVisible, toggleLocked, remove, select, reset,
  };
});
