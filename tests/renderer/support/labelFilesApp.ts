/**
 * The labels fake app (tests/renderer/labels/fakeLabelsApp.ts) plus the
 * label file calls, answered the way the app answers them:
 * labels.importNifti merges a label volume into the stored accepted layer
 * (non-zero voxels replace, unknown labels get a "Label N" segment, a new
 * revision, 'conflict' on a stale base); labels.importSeg answers a prepared
 * result and stores nothing; the exports answer prepared results. Every call
 * is recorded in order, labels.apply included.
 */
import type { Segment } from '../../../src-main/shared/contract/labels';
import type { ImportSegResult } from '../../../src-main/shared/contract/segApi';
import { runsToBytes, runsFromLayer } from '../../../src-main/shared/labels/labelRuns';
import { err, ok, type Result } from '../../../src-main/shared/result';
import type { AppConnection } from '../../../src-renderer/bridge/appConnection';
import { FakeLabelsApp } from '../labels/fakeLabelsApp';

export class LabelFilesApp extends FakeLabelsApp {
  /** Methods and params of every call, in order. */
  readonly calls: { method: string; params: Record<string, unknown> }[] = [];
  /** Voxels labels.importNifti reads from "the file" (same grid as the series). */
  niftiVolume: Uint8Array | null = null;
  /** Runs when labels.importNifti is called, before it answers (e.g. to edit meanwhile). */
  onImportNifti: (() => void) | null = null;
  /** What labels.importSeg answers. */
  segAnswer: Result<ImportSegResult> = err('bad-request', 'no SEG prepared');
  /** What the exports answer. */
  exportNiftiAnswer: Result<unknown> = ok({ path: '/out/labels.nii.gz', voxelsLabelled: 0 });
  exportSegAnswer: Result<unknown> = ok({ path: '/out/SEG_900_Segmentation.dcm', frames: 1, segments: 1 });

  readonly files: AppConnection;

  constructor() {
    super();
    const base = this.connection;
    this.files = {
      ...base,
      call: ((method: string, params: Record<string, unknown>) => {
        this.calls.push({ method, params });
        const answer = this.answerFileCall(method, params);
        return answer === null ? base.call(method as never, params as never) : Promise.resolve(answer);
      }) as AppConnection['call'],
    };
  }

  private answerFileCall(method: string, params: Record<string, unknown>): Result<unknown> | null {
    if (method === 'labels.exportNifti') return this.exportNiftiAnswer;
    if (method === 'labels.exportSeg') return this.exportSegAnswer;
    if (method === 'labels.importSeg') return this.segAnswer;
    if (method !== 'labels.importNifti') return null;
    this.onImportNifti?.();
    const seriesId = params.seriesId as string;
    const entry = this.stored.get(seriesId);
    if (entry === undefined || this.niftiVolume === null) return err('not-found', `Could not import ${String(params.path)}: no such file.`);
    if (params.baseRevision !== entry.revision) return err('conflict', `The labels are at revision ${entry.revision}, not ${String(params.baseRevision)}.`);
    const known = new Set(entry.segments.map((segment) => segment.label));
    const added: Segment[] = [];
    this.niftiVolume.forEach((label, v) => {
      if (label === 0) return;
      entry.accepted[v] = label;
      if (!known.has(label)) {
        known.add(label);
        added.push(labelSegment(label));
      }
    });
    entry.segments = [...entry.segments, ...added.sort((a, b) => a.label - b.label)];
    entry.revision++;
    return ok({ seriesId, revision: entry.revision, dimensions: entry.dimensions, segments: entry.segments, strokes: runsToBytes(runsFromLayer(entry.strokes)), accepted: runsToBytes(runsFromLayer(entry.accepted)) });
  }
}

/** The segment an import creates for an unknown label. */
export function labelSegment(label: number, name = `Label ${label}`): Segment {
  const tissue = { scheme: 'SCT', value: '85756007', meaning: 'Tissue' };
  return { label, name, color: '#3cb44b', visible: true, locked: false, category: { ...tissue }, type: { ...tissue } };
}
