/**
 * The labels of one series held in memory: two dense layers over the sorted
 * grid (one byte a voxel), the segment list and the revision. Edits arrive as
 * runs on top of a revision; an edit is checked whole before any voxel
 * changes, so a refused edit leaves nothing behind.
 *
 * Invariant kept by every edit: each label 1..254 present in a layer is one
 * of the segments (so exports never hold a value nobody can name).
 */
import { backgroundStrokeValue, erasedValue, segmentListSchema, type LabelLayer, type LabelState, type LayerChange, type Segment } from '../shared/contract/labels';
import type { SeriesId } from '../shared/contract/series';
import { applyRuns, decodeRuns, runsToBytes, runsFromLayer, type LabelRuns } from '../shared/labels/labelRuns';
import type { LabelFileContent } from './labelFileFormat';
import { LabelError } from './labelError';

/** One edit as the contract carries it. */
export interface LabelEdit {
  readonly baseRevision: number;
  readonly changes: readonly LayerChange[];
  /** The whole new segment list, when segments changed. */
  readonly segments?: readonly Segment[] | undefined;
}

/** The series a label set belongs to. */
export interface LabelGrid {
  readonly seriesId: string;
  readonly seriesInstanceUid: string;
  readonly dimensions: readonly [number, number, number];
}

function describe(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/** Labels present in a layer that the segment list lacks (the reserved 255 excluded). */
function unknownLabels(runs: LabelRuns, labels: ReadonlySet<number>): number[] {
  const unknown = new Set<number>();
  for (const value of runs.values) if (value !== 0 && value !== 255 && !labels.has(value)) unknown.add(value);
  return [...unknown].sort((a, b) => a - b);
}

/** The in-memory labels of one series. */
export class SeriesLabels {
  readonly strokes: Uint8Array;
  readonly accepted: Uint8Array;
  private segmentList: Segment[];
  private currentRevision: number;

  private constructor(
    readonly grid: LabelGrid,
    segments: readonly Segment[],
    revision: number,
  ) {
    const [nx, ny, nz] = grid.dimensions;
    this.strokes = new Uint8Array(nx * ny * nz);
    this.accepted = new Uint8Array(nx * ny * nz);
    this.segmentList = [...segments];
    this.currentRevision = revision;
  }

  /** No labels yet: empty layers, no segments, revision 0. */
  static empty(grid: LabelGrid): SeriesLabels {
    return new SeriesLabels(grid, [], 0);
  }

  /** The labels a file holds, on `grid` (whose dimensions the caller checked). */
  static fromFile(grid: LabelGrid, content: LabelFileContent): SeriesLabels {
    const labels = new SeriesLabels(grid, content.segments, content.revision);
    applyRuns(labels.strokes, content.strokes);
    applyRuns(labels.accepted, content.accepted);
    return labels;
  }

  get revision(): number {
    return this.currentRevision;
  }

  get segments(): readonly Segment[] {
    return this.segmentList;
  }

  get voxelCount(): number {
    return this.strokes.length;
  }

  /**
   * Applies `edit` (see the module comment); returns false when it changed
   * nothing (no layer change, no segment list). Throws a LabelError:
   * 'conflict' when `baseRevision` is not the current revision, 'bad-request'
   * for runs that do not fit or paint labels without a segment, or a segment
   * list that drops a segment whose voxels remain.
   */
  apply(edit: LabelEdit): boolean {
    const id = this.grid.seriesId;
    this.checkBase(edit.baseRevision);
    if (edit.changes.length === 0 && edit.segments === undefined) return false;
    const segments = edit.segments === undefined ? this.segmentList : this.checkedSegments(edit.segments);
    const decoded = this.decodeChanges(edit.changes, new Set(segments.map((segment) => segment.label)));
    const dropped = this.segmentList.filter((old) => !segments.some((segment) => segment.label === old.label));
    const undo = dropped.length === 0 ? [] : decoded.map(({ layer, runs }) => ({ layer, saved: this.savedRanges(layer, runs) }));
    for (const { layer, runs } of decoded) applyRuns(this.layerOf(layer), runs);
    for (const segment of dropped) {
      const remaining = this.countVoxels(segment.label);
      if (remaining > 0) {
        for (const { layer, saved } of undo.reverse()) for (const [start, bytes] of saved) this.layerOf(layer).set(bytes, start);
        throw new LabelError(
          'bad-request',
          `Segment ${segment.label} ("${segment.name}") of series ${id} cannot be removed while ${remaining} voxels still carry it: clear them in the same edit. Nothing was changed.`,
        );
      }
    }
    this.segmentList = [...segments];
    this.currentRevision++;
    return true;
  }

  /** Throws a 'conflict' LabelError unless `baseRevision` is the current revision. */
  checkBase(baseRevision: number): void {
    if (baseRevision === this.currentRevision) return;
    throw new LabelError(
      'conflict',
      `The labels of series ${this.grid.seriesId} are at revision ${this.currentRevision}, but this edit was made on revision ${baseRevision} (they were changed elsewhere, e.g. in another window). Reload the labels and make the edit again.`,
    );
  }

  /** Writes `labels` (0 = keep) into the accepted layer, adding `newSegments`; one new revision. */
  mergeIntoAccepted(baseRevision: number, labels: Uint8Array, newSegments: readonly Segment[]): void {
    this.checkBase(baseRevision);
    if (labels.length !== this.accepted.length) throw new RangeError(`${labels.length} voxels to merge into a layer of ${this.accepted.length}.`);
    const segments = this.checkedSegments([...this.segmentList, ...newSegments]);
    const known = new Set(segments.map((segment) => segment.label));
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i] as number;
      if (label !== 0 && !known.has(label)) throw new RangeError(`Label ${label} at voxel ${i} has no segment.`);
    }
    this.apply({ baseRevision, changes: [], segments });
    for (let i = 0; i < labels.length; i++) if (labels[i] !== 0) this.accepted[i] = labels[i] as number;
  }

  /** What `labels.load` answers. */
  toState(): LabelState {
    return {
      seriesId: this.grid.seriesId as SeriesId,
      revision: this.currentRevision,
      dimensions: [...this.grid.dimensions],
      segments: this.segmentList.map((segment) => ({ ...segment })),
      strokes: runsToBytes(runsFromLayer(this.strokes)),
      accepted: runsToBytes(runsFromLayer(this.accepted)),
    };
  }

  /** The content of a label file for the current revision, taken synchronously (later edits do not leak in). */
  snapshot(savedAt: string): LabelFileContent {
    return {
      seriesId: this.grid.seriesId,
      seriesInstanceUid: this.grid.seriesInstanceUid,
      dimensions: this.grid.dimensions,
      revision: this.currentRevision,
      savedAt,
      segments: this.segmentList.map((segment) => ({ ...segment })),
      strokes: runsFromLayer(this.strokes),
      accepted: runsFromLayer(this.accepted),
    };
  }

  private layerOf(layer: LabelLayer): Uint8Array {
    return layer === 'strokes' ? this.strokes : this.accepted;
  }

  private checkedSegments(segments: readonly Segment[]): Segment[] {
    const parsed = segmentListSchema.safeParse(segments);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LabelError('bad-request', `Invalid segment list for series ${this.grid.seriesId}: ${issue === undefined ? 'invalid' : `${issue.path.join('.')}: ${issue.message}`}. Nothing was changed.`);
    }
    return parsed.data;
  }

  private decodeChanges(changes: readonly LayerChange[], labels: ReadonlySet<number>): { layer: LabelLayer; runs: LabelRuns }[] {
    const seen = new Set<LabelLayer>();
    return changes.map(({ layer, runs: text }) => {
      if (seen.has(layer)) throw new LabelError('bad-request', `The edit changes the ${layer} layer twice; send one change per layer. Nothing was changed.`);
      seen.add(layer);
      let runs: LabelRuns;
      try {
        runs = decodeRuns(text, this.voxelCount);
      } catch (thrown) {
        throw new LabelError('bad-request', `Bad runs for the ${layer} layer of series ${this.grid.seriesId}: ${describe(thrown)} Nothing was changed.`);
      }
      const unknown = unknownLabels(runs, labels);
      if (unknown.length > 0) {
        const reserved = layer === 'strokes' ? `${backgroundStrokeValue} = background stroke` : `${erasedValue} = erased`;
        throw new LabelError(
          'bad-request',
          `The ${layer} runs paint label${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} no segment of series ${this.grid.seriesId} (0 = nothing, ${reserved}). Add the segment in the same edit. Nothing was changed.`,
        );
      }
      return { layer, runs };
    });
  }

  private savedRanges(layer: LabelLayer, runs: LabelRuns): [number, Uint8Array][] {
    const source = this.layerOf(layer);
    const saved: [number, Uint8Array][] = [];
    for (let r = 0; r < runs.starts.length; r++) {
      const start = runs.starts[r] as number;
      saved.push([start, source.slice(start, start + (runs.lengths[r] as number))]);
    }
    return saved;
  }

  private countVoxels(label: number): number {
    let count = 0;
    for (let i = 0; i < this.strokes.length; i++) {
      if (this.strokes[i] === label) count++;
      if (this.accepted[i] === label) count++;
    }
    return count;
  }
}
