/**
 * What one brush, eraser or background stroke does to a voxel, and the
 * options a stroke is made with. Locked segments are never changed; the
 * threshold (CT: an HU window) limits painting, never erasing.
 */
import { backgroundStrokeValue, erasedValue, maxSegmentLabel } from '../../src-main/shared/contract/labels';
import { displayValue } from './composeDisplay';
import type { StrokeRecorder } from './editDelta';
import type { IndexList } from './indexList';
import { LabelEditError } from './labelEditError';
import type { Vec3 } from '../../src-main/shared/geometry/vec3';

export type StrokeTool = 'brush' | 'eraser' | 'background';

/** Intensity window for the threshold-limited brush. */
export interface StrokeThreshold {
  readonly low: number;
  readonly high: number;
  /** The scalar volume in the label grid's flat order, in modality units (HU for CT). */
  readonly intensity: ArrayLike<number>;
}

export interface StrokeOptions {
  readonly tool: StrokeTool;
  /** The active segment's label (used by 'brush'). */
  readonly label: number;
  readonly radiusMm: number;
  /** Unit normal of the view plane (world), e.g. the viewport's view-plane normal. */
  readonly planeNormal: Vec3;
  readonly threshold?: StrokeThreshold;
  readonly lockedLabels: ReadonlySet<number>;
}

/** The layers a stroke reads and writes. */
export interface PaintLayers {
  readonly strokes: Uint8Array;
  readonly accepted: Uint8Array;
  readonly prediction: Uint8Array;
  readonly display: Uint8Array;
}

/** Where a stroke's effects are collected. */
export interface PaintSink {
  readonly recorder: StrokeRecorder;
  readonly strokesChanged: IndexList;
  readonly acceptedChanged: IndexList;
  readonly displayChanged: IndexList;
}

/** Checks the options against the volume; throws a LabelEditError saying what is wrong. */
export function checkStrokeOptions(options: StrokeOptions, voxelCount: number, segmentLabels: ReadonlySet<number>): void {
  if (!(options.radiusMm > 0) || !Number.isFinite(options.radiusMm)) throw new LabelEditError(`A brush of ${options.radiusMm} mm cannot paint; pick a size above 0.`);
  if (options.tool === 'brush') {
    if (!Number.isInteger(options.label) || options.label < 1 || options.label > maxSegmentLabel) {
      throw new LabelEditError(`Label ${options.label} is not a segment label (1..${maxSegmentLabel}).`);
    }
    if (!segmentLabels.has(options.label)) throw new LabelEditError(`Label ${options.label} is not a segment of this series; add or pick a segment first.`);
    if (options.lockedLabels.has(options.label)) throw new LabelEditError('The active segment is locked; unlock it to paint.');
  }
  const threshold = options.threshold;
  if (threshold !== undefined) {
    if (!(threshold.low <= threshold.high)) throw new LabelEditError(`The threshold range ${threshold.low}..${threshold.high} is empty.`);
    if (threshold.intensity.length !== voxelCount) {
      throw new LabelEditError(`The threshold image has ${threshold.intensity.length} voxels but the labels have ${voxelCount}.`);
    }
  }
}

/** A per-voxel painter for one stroke: applies the tool's rule and records what changed. */
export function makeVoxelPainter(layers: PaintLayers, options: StrokeOptions, sink: PaintSink): (index: number) => void {
  const { strokes, accepted, prediction, display } = layers;
  const locked = new Uint8Array(256);
  for (const label of options.lockedLabels) if (label >= 1 && label <= maxSegmentLabel) locked[label] = 1;
  const tool = options.tool;
  const paintValue = tool === 'brush' ? options.label : tool === 'background' ? backgroundStrokeValue : 0;
  const threshold = tool === 'eraser' ? undefined : options.threshold;
  const intensity = threshold?.intensity;
  const low = threshold?.low ?? 0;
  const high = threshold?.high ?? 0;

  return (v: number): void => {
    const s = strokes[v] as number;
    const a = accepted[v] as number;
    // The voxel belongs to what it shows: its stroke, else its accepted label.
    if (locked[s !== 0 ? s : a] === 1) return;
    if (intensity !== undefined) {
      const x = intensity[v] as number;
      if (!(x >= low && x <= high)) return;
    }
    let nextStroke = paintValue;
    let nextAccepted = a;
    if (tool === 'eraser') {
      nextStroke = 0;
      const hasModelValue = (a !== 0 && a !== erasedValue) || prediction[v] !== 0;
      if (hasModelValue && locked[a] !== 1) nextAccepted = erasedValue;
    }
    if (nextStroke === s && nextAccepted === a) return;
    sink.recorder.record(v, s, a);
    if (nextStroke !== s) {
      strokes[v] = nextStroke;
      sink.strokesChanged.push(v);
    }
    if (nextAccepted !== a) {
      accepted[v] = nextAccepted;
      sink.acceptedChanged.push(v);
    }
    const shown = displayValue(nextStroke, nextAccepted);
    if (shown !== display[v]) {
      display[v] = shown;
      sink.displayChanged.push(v);
    }
  };
}
