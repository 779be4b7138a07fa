/**
 * The labels of one open series, in memory: the user's strokes and accepted
 * masks (what is saved), the model's prediction (never saved), the composite
 * shown on screen, the segment list, and the undo history. Plain TypeScript:
 * the store holds it with markRaw so Vue never proxies 80 MB buffers.
 *
 * Every edit updates `display` only where it changed, tells listeners which
 * voxels changed, records an undo delta and notes what must be sent to the
 * app (`takeLayerChanges`).
 */
import type { LabelLayer, LayerChange, Segment } from '../../src-main/shared/contract/labels';
import { applyRuns, type LabelRuns } from '../../src-main/shared/labels/labelRuns';
import { forEachAcceptedVoxel, type AcceptScope } from './acceptPrediction';
import { composeRange, recomposeAt, shownChanges } from './composeDisplay';
import { OrderedDeltaBuilder, StrokeRecorder, segmentListDelta, type EditDelta } from './editDelta';
import { EditHistory, type HistoryLimits } from './editHistory';
import { closestAxis, findFillRegion } from './fillContour';
import { IndexList } from './indexList';
import { slicesOfVoxels, type LabelChange } from './labelChange';
import { gridFrame, voxelCount, worldToIndex, type GridFrame, type LabelGrid } from './labelGrid';
import { LabelEditError } from './labelEditError';
import { labelVoxelCounts, type LabelVoxelCount } from './labelVoxelCounts';
import { eraseLabel, mergeRunsIntoAccepted, strokeRegion } from './layerEdits';
import { checkSegmentList, keepViewState, lockedLabelSet, writableLabels } from './segmentListRules';
import { forEachStrokeVoxel } from './strokeFootprint';
import { PredictionLayer } from './predictionLayer';
import { checkStrokeOptions, makeVoxelPainter, type StrokeOptions } from './strokeTool';
import { UnsentChanges } from './unsentChanges';
import type { Vec3 } from '../../src-main/shared/geometry/vec3';

export type { AcceptScope, LabelChange, StrokeOptions };

/** Stored labels, decoded: what `LabelDocument.create` starts from. */
export interface LoadedLabels {
  readonly segments: readonly Segment[];
  readonly strokes: LabelRuns;
  readonly accepted: LabelRuns;
}

export interface LabelDocumentOptions {
  readonly history?: Partial<HistoryLimits>;
}

interface ActiveStroke {
  readonly options: StrokeOptions;
  readonly recorder: StrokeRecorder;
  last: Vec3 | null;
}

const noVoxels = new Uint32Array(0);

export class LabelDocument {
  readonly grid: LabelGrid;
  readonly frame: GridFrame;
  readonly strokes: Uint8Array;
  readonly accepted: Uint8Array;
  readonly prediction: Uint8Array;
  readonly display: Uint8Array;
  private readonly predicted: PredictionLayer;
  private segmentList: readonly Segment[] = Object.freeze([]);
  private segmentsUnsent = false;
  private readonly unsent = new UnsentChanges();
  private readonly history: EditHistory<EditDelta>;
  private stroke: ActiveStroke | null = null;
  private readonly listeners = new Set<(change: LabelChange) => void>();

  private constructor(grid: LabelGrid, options: LabelDocumentOptions) {
    this.grid = grid;
    this.frame = gridFrame(grid);
    const count = voxelCount(grid);
    this.strokes = new Uint8Array(count);
    this.accepted = new Uint8Array(count);
    this.predicted = new PredictionLayer(count, grid.dimensions[0] * grid.dimensions[1], grid.dimensions[2]);
    this.prediction = this.predicted.values;
    this.display = new Uint8Array(count);
    this.history = new EditHistory(options.history);
  }

  /** A document over `grid`, empty or holding stored labels (runs checked against the grid). */
  static create(grid: LabelGrid, state?: LoadedLabels, options: LabelDocumentOptions = {}): LabelDocument {
    const doc = new LabelDocument(grid, options);
    if (state !== undefined) {
      doc.segmentList = checkSegmentList(state.segments);
      applyRuns(doc.strokes, state.strokes);
      applyRuns(doc.accepted, state.accepted);
      doc.composeRuns(state.strokes);
      doc.composeRuns(state.accepted);
    }
    return doc;
  }

  get segments(): readonly Segment[] {
    return this.segmentList;
  }

  get canUndo(): boolean {
    return this.stroke !== null || this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.stroke === null && this.history.canRedo;
  }

  /** Steps and bytes the undo history holds. */
  get historySize(): { readonly steps: number; readonly bytes: number } {
    return { steps: this.history.undoSteps, bytes: this.history.bytes };
  }

  /** Whether edits wait to be taken for the app. */
  get hasUnsentChanges(): boolean {
    return this.segmentsUnsent || !this.unsent.isEmpty;
  }

  /** Whether the prediction holds any non-zero voxel (kept up to date by setPrediction, no scan). */
  get hasPrediction(): boolean {
    return this.predicted.hasPrediction;
  }

  get strokeActive(): boolean {
    return this.stroke !== null;
  }

  /** Listens to every change; returns the unsubscribe. */
  onChange(listener: (change: LabelChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts a pointer-down..up stroke: one undo step. Throws a LabelEditError for options that cannot paint. */
  beginStroke(options: StrokeOptions): void {
    if (this.stroke !== null) this.endStroke();
    const lockedLabels = lockedLabelSet(this.segmentList, options.lockedLabels);
    const checked: StrokeOptions = { ...options, lockedLabels };
    checkStrokeOptions(checked, this.strokes.length, new Set(this.segmentList.map((segment) => segment.label)));
    this.stroke = { options: checked, recorder: new StrokeRecorder(), last: null };
  }

  /** Paints from the previous pointer sample (or just a disk, for the first) to `pointMm`. */
  strokeTo(pointMm: Vec3): LabelChange {
    const stroke = this.stroke;
    if (stroke === null) throw new LabelEditError('No stroke is in progress.');
    const from = stroke.last ?? pointMm;
    stroke.last = pointMm;
    const sink = { recorder: stroke.recorder, strokesChanged: new IndexList(), acceptedChanged: new IndexList(), displayChanged: new IndexList() };
    const paint = makeVoxelPainter(this, stroke.options, sink);
    forEachStrokeVoxel(this.frame, from, pointMm, stroke.options.radiusMm, stroke.options.planeNormal, paint);
    this.unsent.add('strokes', sink.strokesChanged.toArray());
    this.unsent.add('accepted', sink.acceptedChanged.toArray());
    return this.emit(sink.displayChanged.toArray());
  }

  /** Ends the stroke and records it as one undo step; returns everything it changed on screen, or null. */
  endStroke(): LabelChange | null {
    const stroke = this.stroke;
    if (stroke === null) return null;
    this.stroke = null;
    const delta = stroke.recorder.finish(this.strokes, this.accepted);
    if (delta === null) {
      this.notify({ changed: noVoxels, kSlices: [], historyChanged: true });
      return null;
    }
    this.history.push(delta);
    this.notify({ changed: noVoxels, kSlices: [], historyChanged: true });
    const changed = shownChanges(delta);
    return { changed, kSlices: this.slicesOf(changed), historyChanged: true };
  }

  /**
   * Fills the closed contour of `label` around `pointMm` in the slice of the
   * grid axis closest to `planeNormal`, as strokes. Throws a LabelEditError
   * when the contour is open or the point is outside the volume.
   */
  fillContour(pointMm: Vec3, planeNormal: Vec3, label: number, lockedLabels: ReadonlySet<number>): LabelChange | null {
    this.endStroke();
    const locked = lockedLabelSet(this.segmentList, lockedLabels);
    checkStrokeOptions({ tool: 'brush', label, radiusMm: 1, planeNormal, lockedLabels: locked }, this.strokes.length, new Set(this.segmentList.map((segment) => segment.label)));
    const index = worldToIndex(this.frame, pointMm).map(Math.round) as unknown as Vec3;
    const sizes = this.grid.dimensions;
    if (index.some((value, axis) => value < 0 || value >= (sizes[axis] as number))) throw new LabelEditError('The point is outside the volume.');
    const region = findFillRegion(this.frame, this.display, index, closestAxis(this.frame, planeNormal), label);
    const builder = new OrderedDeltaBuilder();
    strokeRegion(this, region.indices, label, locked, builder);
    return this.commitBulk(builder, 'strokes');
  }

  /** Copies the prediction into the accepted layer within `scope` (see acceptPrediction.ts for the rules). */
  acceptPrediction(scope: AcceptScope): LabelChange | null {
    this.endStroke();
    if (!this.predicted.hasAnySlice) throw new LabelEditError('There is no prediction to accept yet.');
    if (scope.kind === 'segment' && !this.segmentList.some((segment) => segment.label === scope.label)) {
      throw new LabelEditError(`Label ${scope.label} is not a segment of this series.`);
    }
    const builder = new OrderedDeltaBuilder();
    const input = {
      dimensions: this.grid.dimensions,
      strokes: this.strokes,
      accepted: this.accepted,
      prediction: this.prediction,
      predictedSlices: this.predicted.predictedSlices,
      writable: writableLabels(this.segmentList),
    };
    forEachAcceptedVoxel(input, scope, (v, value) => {
      builder.push(v, this.strokes[v] as number, this.accepted[v] as number);
      this.accepted[v] = value;
    });
    return this.commitBulk(builder, 'accepted');
  }

  /**
   * Sets the model's prediction: `values` covers the whole volume, or, with
   * `slices`, those k slices in order (nx*ny values each). Not an edit: no
   * undo step, nothing sent to the app.
   */
  setPrediction(values: Uint8Array, slices?: readonly number[]): LabelChange {
    const kSlices = this.predicted.set(values, slices);
    return this.notify({ changed: noVoxels, kSlices, predictionChanged: true });
  }

  /** Forgets the prediction (e.g. the model was reset). */
  clearPrediction(): LabelChange {
    this.predicted.clear();
    return this.notify({ changed: noVoxels, kSlices: [], predictionChanged: true });
  }

  /** Replaces the segment list; `undoable` records it as an undo step (add, rename, recolour, coding). */
  setSegments(next: readonly Segment[], options: { readonly undoable?: boolean } = {}): LabelChange {
    this.endStroke();
    const checked = checkSegmentList(next);
    const before = this.segmentList;
    this.segmentList = checked;
    this.segmentsUnsent = true;
    if (options.undoable === true) {
      this.history.push(segmentListDelta(before, checked));
    }
    return this.notify({ changed: noVoxels, kSlices: [], segmentsChanged: true, historyChanged: options.undoable === true });
  }

  /** Deletes a segment and its voxels in both layers, as one undo step. */
  deleteSegment(label: number): LabelChange {
    this.endStroke();
    const segment = this.segmentList.find((candidate) => candidate.label === label);
    if (segment === undefined) throw new LabelEditError(`Label ${label} is not a segment of this series.`);
    if (segment.locked) throw new LabelEditError(`${segment.name} is locked; unlock it before deleting it.`);
    const before = this.segmentList;
    const builder = new OrderedDeltaBuilder();
    eraseLabel(this, label, builder);
    this.segmentList = Object.freeze(before.filter((candidate) => candidate.label !== label));
    this.segmentsUnsent = true;
    const change = this.commitBulk(builder, 'both', { before, after: this.segmentList });
    return change ?? this.notify({ changed: noVoxels, kSlices: [], segmentsChanged: true, historyChanged: true });
  }

  /**
   * Writes `runs` (non-zero values only, each a label of `segments`) into the
   * accepted layer and makes `segments` the segment list, as ONE undo step:
   * a label file read back onto the series (e.g. a DICOM-SEG). Strokes stay
   * on top of what is written.
   */
  mergeIntoAccepted(runs: LabelRuns, segments: readonly Segment[]): LabelChange {
    this.endStroke();
    const checked = checkSegmentList(segments);
    const before = this.segmentList;
    const builder = new OrderedDeltaBuilder();
    mergeRunsIntoAccepted(this, runs, new Set(checked.map((segment) => segment.label)), builder);
    this.segmentList = checked;
    this.segmentsUnsent = true;
    const change = this.commitBulk(builder, 'accepted', { before, after: checked });
    return change ?? this.notify({ changed: noVoxels, kSlices: [], segmentsChanged: true, historyChanged: true });
  }

  /** Undoes the last step (ending a stroke in progress first). */
  undo(): LabelChange | null {
    this.endStroke();
    const delta = this.history.takeUndo();
    return delta === null ? null : this.applyDelta(delta, 'before');
  }

  redo(): LabelChange | null {
    this.endStroke();
    const delta = this.history.takeRedo();
    return delta === null ? null : this.applyDelta(delta, 'after');
  }

  /** Changed strokes/accepted voxels since the last take, as runs for `labels.apply`. */
  takeLayerChanges(): LayerChange[] {
    return this.unsent.take({ strokes: this.strokes, accepted: this.accepted });
  }

  /** The segment list if it changed since the last take, else null. */
  takeSegmentChanges(): Segment[] | null {
    if (!this.segmentsUnsent) return null;
    this.segmentsUnsent = false;
    return this.segmentList.map((segment) => ({ ...segment }));
  }

  /**
   * Writes runs into a layer without recording or sending them: used to lay
   * edits not yet acknowledged by the app over a freshly reloaded state.
   */
  overlayRuns(layer: LabelLayer, runs: LabelRuns): void {
    applyRuns(layer === 'strokes' ? this.strokes : this.accepted, runs);
    this.composeRuns(runs);
  }

  /** Overlays a segment list the same way (not recorded, not sent). */
  overlaySegments(segments: readonly Segment[]): void {
    this.segmentList = checkSegmentList(segments);
  }

  /** Takes over another document's prediction (same grid), e.g. after a reload. */
  copyPredictionFrom(other: LabelDocument): void {
    this.predicted.copyFrom(other.predicted);
  }

  /** Voxels per segment label (1..254) in each layer. */
  voxelCounts(): Map<number, LabelVoxelCount> {
    return labelVoxelCounts(this.strokes, this.accepted);
  }

  private applyDelta(delta: EditDelta, side: 'before' | 'after'): LabelChange {
    const strokeValues = side === 'before' ? delta.strokesBefore : delta.strokesAfter;
    const acceptedValues = side === 'before' ? delta.acceptedBefore : delta.acceptedAfter;
    for (let c = 0; c < delta.indices.length; c++) {
      const v = delta.indices[c] as number;
      this.strokes[v] = strokeValues[c] as number;
      this.accepted[v] = acceptedValues[c] as number;
    }
    // The delta's indices are strictly increasing: recomposing after all writes shows what writing each in turn would.
    const changed = recomposeAt(this.display, this.strokes, this.accepted, delta.indices);
    if (delta.strokesChanged) this.unsent.add('strokes', delta.indices);
    if (delta.acceptedChanged) this.unsent.add('accepted', delta.indices);
    if (delta.segments !== undefined) {
      this.segmentList = keepViewState(side === 'before' ? delta.segments.before : delta.segments.after, this.segmentList);
      this.segmentsUnsent = true;
    }
    return this.emit(changed, { historyChanged: true, ...(delta.segments === undefined ? {} : { segmentsChanged: true }) });
  }

  /** Records a bulk edit already written to the layers, updates the display, notes it unsent, tells listeners. */
  private commitBulk(builder: OrderedDeltaBuilder, layers: LabelLayer | 'both', segments?: EditDelta['segments']): LabelChange | null {
    const delta = builder.finish(this.strokes, this.accepted, segments);
    if (delta === null) return null;
    const changed = recomposeAt(this.display, this.strokes, this.accepted, delta.indices);
    if (layers !== 'accepted' && delta.strokesChanged) this.unsent.add('strokes', delta.indices);
    if (layers !== 'strokes' && delta.acceptedChanged) this.unsent.add('accepted', delta.indices);
    this.history.push(delta);
    return this.emit(changed, { historyChanged: true, ...(segments === undefined ? {} : { segmentsChanged: true }) });
  }

  private emit(changed: Uint32Array, extra: Partial<LabelChange> = {}): LabelChange {
    return this.notify({ changed, kSlices: this.slicesOf(changed), ...extra });
  }

  private notify(change: LabelChange): LabelChange {
    for (const listener of [...this.listeners]) listener(change);
    return change;
  }

  private slicesOf(changed: Uint32Array): number[] {
    return slicesOfVoxels(changed, this.grid.dimensions[0] * this.grid.dimensions[1]);
  }

  private composeRuns(runs: LabelRuns): void {
    for (let r = 0; r < runs.starts.length; r++) {
      const start = runs.starts[r] as number;
      composeRange(this.display, this.strokes, this.accepted, start, start + (runs.lengths[r] as number));
    }
  }
}
