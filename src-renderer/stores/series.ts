/**
 * The imported series, as a list of summaries, and which one is selected.
 * Empty until the import feature fills it; nothing here invents entries.
 *
 * Voxel data never lives in this store. Pixel buffers belong to the viewer
 * (cornerstone's cache); if one must pass through a store it goes in a
 * shallowRef or is markRaw'ed, because deep reactivity would proxy every
 * element of a multi-megabyte typed array and stall the UI. The summaries are
 * immutable and replaced wholesale, so a shallowRef is enough for them too.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';

/** Modalities this workstation imports. */
export type Modality = 'CT' | 'MR';

/** Size of a series' volume, in voxels. */
export interface SeriesDimensions {
  readonly columns: number;
  readonly rows: number;
  readonly slices: number;
}

/** What the series list shows about one imported series. */
export interface SeriesSummary {
  /** Series Instance UID. */
  readonly id: string;
  readonly patientName: string;
  readonly patientId: string;
  /** Study date as ISO `YYYY-MM-DD`; null when the files do not say. */
  readonly studyDate: string | null;
  readonly modality: Modality;
  readonly description: string;
  readonly sliceCount: number;
  readonly dimensions: SeriesDimensions;
  /** A small rendered preview served by the app; null until one was made. */
  readonly thumbnailUrl: string | null;
}

export const useSeriesStore = defineStore('series', () => {
  const entries = shallowRef<readonly SeriesSummary[]>([]);
  const selectedId = ref<string | null>(null);

  const selected = computed(() => entries.value.find((entry) => entry.id === selectedId.value) ?? null);
  const isEmpty = computed(() => entries.value.length === 0);

  /** Replaces the list (the import feature calls this); keeps the selection if it survived. */
  function replaceAll(next: readonly SeriesSummary[]): void {
    entries.value = Object.freeze([...next]);
    if (selectedId.value !== null && !next.some((entry) => entry.id === selectedId.value)) selectedId.value = null;
  }

  /** Selects a series by id; an unknown id is ignored (the list may have just changed). */
  function select(id: string): void {
    if (entries.value.some((entry) => entry.id === id)) selectedId.value = id;
  }

  function clearSelection(): void {
    selectedId.value = null;
  }

  return { entries, selectedId, selected, isEmpty, replaceAll, select, clearSelection };
});
