/**
 * Shared pieces of the label store tests: a series source with one image
 * series (and one without geometry), segments, runs, and temp workspaces.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LabelLayer, LayerChange, Segment } from '../../../src-main/shared/contract/labels';
import type { SeriesSummary } from '../../../src-main/shared/contract/series';
import type { SeriesId } from '../../../src-main/shared/contract/series';
import { runsToBytes, runsFromChanges } from '../../../src-main/shared/labels/labelRuns';
import type { LabelSeriesSource } from '../../../src-main/labels/labelSeriesGrid';

export const imageSeriesId = '1.2.826.0.1.3680043.8.498.1#2';
export const reportSeriesId = '1.2.826.0.1.3680043.8.498.9';

/** A summary of an image series on an `nx` x `ny` x `nz` grid. */
export function imageSummary(seriesId: string, dimensions: readonly [number, number, number]): SeriesSummary {
  return {
    seriesId: seriesId as SeriesId,
    source: 'dicom',
    kind: 'image',
    patientName: 'Test^Patient',
    patientId: 'P1',
    studyDate: '20240101',
    studyInstanceUid: '1.2.3',
    seriesInstanceUid: seriesId.split('#')[0] ?? seriesId,
    seriesNumber: 1,
    modality: 'CT',
    description: 'label tests',
    sliceCount: dimensions[2],
    rows: dimensions[1],
    columns: dimensions[0],
    geometry: {
      dimensions: [...dimensions],
      spacingMm: [0.8, 0.8, 2.5],
      originMm: [-100, -120, 40],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      orientation: 'axial',
    },
    problems: [],
    thumbnail: null,
  };
}

/** A source with an image series (`dimensions`) and a structured report (no geometry). */
export function seriesSource(dimensions: readonly [number, number, number] = [16, 12, 5]): LabelSeriesSource & { summaries: SeriesSummary[] } {
  const report: SeriesSummary = { ...imageSummary(reportSeriesId, [1, 1, 1]), kind: 'structured-report', modality: 'SR', geometry: null, rows: 0, columns: 0, sliceCount: 1 };
  const summaries = [imageSummary(imageSeriesId, dimensions), report];
  return { summaries, listSeries: () => summaries };
}

/** A segment with label `label`. */
export function segment(label: number, name = `Structure ${label}`): Segment {
  return {
    label,
    name,
    color: '#1f77b4',
    visible: true,
    locked: false,
    category: { scheme: 'SCT', value: '123037004', meaning: 'Anatomical Structure' },
    type: { scheme: 'SCT', value: '10200004', meaning: 'Liver' },
  };
}

/** A layer change setting the voxels `[index, value]` (indices increasing). */
export function change(layer: LabelLayer, voxels: readonly (readonly [number, number])[]): LayerChange {
  return { layer, runs: runsToBytes(runsFromChanges(Uint32Array.from(voxels.map(([i]) => i)), Uint8Array.from(voxels.map(([, v]) => v)))) };
}

/** A fresh temp folder and its removal. */
export function tempWorkspace(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `macl-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
