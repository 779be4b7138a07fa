/**
 * A deterministic stream of label edits for the crash test: brush disks in
 * all three planes, erasures, accepted blocks, segment additions, renames,
 * recolours and deletions, each a valid `labels.apply` edit, and after some
 * of them a save. The stream keeps its own copy of the labels, so the child
 * that applies the edits and the parent that checks the file can both know
 * the exact state at every revision from the seed alone.
 */
import type { LabelLayer, LayerChange, Segment } from '../../../../src-main/shared/contract/labels';
import { applyRuns, decodeRuns, runsToBytes, runsFromChanges, runsFromLayer, type LabelRuns } from '../../../../src-main/shared/labels/labelRuns';
import type { LabelEdit } from '../../../../src-main/labels/seriesLabels';

/** Grid of the crash test: small, so a save takes a few milliseconds. */
export const crashGrid = [64, 64, 32] as const;

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One step of the stream: the edit, on top of `edit.baseRevision`, and whether to save after it. */
export interface StreamStep {
  readonly edit: LabelEdit;
  readonly saveAfter: boolean;
}

/** The labels as the stream has made them so far, canonical (runs) for bit-exact comparison. */
export interface StreamState {
  readonly revision: number;
  readonly strokes: Uint8Array;
  readonly accepted: Uint8Array;
  readonly segments: readonly Segment[];
}

const tissue = { scheme: 'SCT', value: '85756007', meaning: 'Tissue' };

/** A deterministic edit stream for `seed`; every step bumps the revision by exactly one. */
export class LabelEditStream {
  private readonly random: () => number;
  private readonly strokes: Uint8Array;
  private readonly accepted: Uint8Array;
  private segments: Segment[] = [];
  private revision = 0;
  private nextLabel = 1;

  constructor(seed: number) {
    this.random = seededRandom(seed);
    const [nx, ny, nz] = crashGrid;
    this.strokes = new Uint8Array(nx * ny * nz);
    this.accepted = new Uint8Array(nx * ny * nz);
  }

  get currentRevision(): number {
    return this.revision;
  }

  /** The next edit; the stream's own labels move on with it. */
  next(): StreamStep {
    const roll = this.random();
    let edit: LabelEdit;
    if (this.segments.length === 0 || (roll < 0.08 && this.segments.length < 40)) edit = this.addSegment();
    else if (roll < 0.13) edit = this.changeSegment();
    else if (roll < 0.16 && this.segments.length > 1) edit = this.deleteSegment();
    else if (roll < 0.6) edit = this.brush('strokes', this.paintValue('strokes'));
    else if (roll < 0.75) edit = this.brush('strokes', 0);
    else if (roll < 0.85) edit = this.brush('accepted', this.random() < 0.3 ? 255 : 0);
    else edit = this.acceptBlock();
    for (const change of edit.changes) applyRuns(change.layer === 'strokes' ? this.strokes : this.accepted, decodeChange(change));
    if (edit.segments !== undefined) this.segments = edit.segments.map((segment) => ({ ...segment }));
    this.revision++;
    return { edit, saveAfter: this.random() < 0.5 };
  }

  state(): StreamState {
    return {
      revision: this.revision,
      strokes: runsToBytes(runsFromLayer(this.strokes)),
      accepted: runsToBytes(runsFromLayer(this.accepted)),
      segments: this.segments.map((segment) => ({ ...segment })),
    };
  }

  private int(below: number): number {
    return Math.floor(this.random() * below);
  }

  private color(): string {
    return `#${this.int(0x1000000).toString(16).padStart(6, '0')}`;
  }

  private paintValue(layer: LabelLayer): number {
    if (layer === 'strokes' && this.random() < 0.15) return 255;
    return (this.segments[this.int(this.segments.length)] as Segment).label;
  }

  private edit(changes: LayerChange[], segments?: Segment[]): LabelEdit {
    return segments === undefined ? { baseRevision: this.revision, changes } : { baseRevision: this.revision, changes, segments };
  }

  private addSegment(): LabelEdit {
    const label = this.nextLabel;
    this.nextLabel = (this.nextLabel % 254) + 1;
    if (this.segments.some((segment) => segment.label === label)) return this.changeSegment();
    const added: Segment = { label, name: `Structure ${label}`, color: this.color(), visible: true, locked: false, category: tissue, type: tissue };
    return this.edit([], [...this.segments, added]);
  }

  private changeSegment(): LabelEdit {
    const index = this.int(this.segments.length);
    const segments = this.segments.map((segment, i) => {
      if (i !== index) return segment;
      const what = this.int(3);
      if (what === 0) return { ...segment, name: `Renamed ${this.int(1000)}` };
      if (what === 1) return { ...segment, color: this.color() };
      return { ...segment, visible: !segment.visible, locked: !segment.locked };
    });
    return this.edit([], segments);
  }

  private deleteSegment(): LabelEdit {
    const gone = (this.segments[this.int(this.segments.length)] as Segment).label;
    const clear = (layer: Uint8Array, name: LabelLayer): LayerChange[] => {
      const indices: number[] = [];
      for (let i = 0; i < layer.length; i++) if (layer[i] === gone) indices.push(i);
      return indices.length === 0 ? [] : [{ layer: name, runs: runsToBytes(runsFromChanges(Uint32Array.from(indices), new Uint8Array(indices.length))) }];
    };
    return this.edit([...clear(this.strokes, 'strokes'), ...clear(this.accepted, 'accepted')], this.segments.filter((segment) => segment.label !== gone));
  }

  /** A disk of radius 1..6 in an axial, coronal or sagittal plane. */
  private brush(layer: LabelLayer, value: number): LabelEdit {
    const [nx, ny, nz] = crashGrid;
    const plane = this.int(3);
    const radius = 1 + this.int(6);
    const centre = [this.int(nx), this.int(ny), this.int(nz)] as const;
    const indices: number[] = [];
    for (let a = -radius; a <= radius; a++) {
      for (let b = -radius; b <= radius; b++) {
        if (a * a + b * b > radius * radius) continue;
        const [x, y, z] = plane === 0 ? [centre[0] + a, centre[1] + b, centre[2]] : plane === 1 ? [centre[0] + a, centre[1], centre[2] + b] : [centre[0], centre[1] + a, centre[2] + b];
        if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
        indices.push(x + y * nx + z * nx * ny);
      }
    }
    indices.sort((p, q) => p - q);
    return this.edit([{ layer, runs: runsToBytes(runsFromChanges(Uint32Array.from(indices), new Uint8Array(indices.length).fill(value))) }]);
  }

  /** An accepted prediction: a block of one label, on a few whole rows. */
  private acceptBlock(): LabelEdit {
    const [nx, ny, nz] = crashGrid;
    const label = this.paintValue('accepted');
    const z = this.int(nz);
    const y0 = this.int(ny - 8);
    const start = y0 * nx + z * nx * ny;
    const rows = 1 + this.int(8);
    return this.edit([{ layer: 'accepted', runs: runsToBytes({ starts: Uint32Array.of(start), lengths: Uint32Array.of(rows * nx), values: Uint8Array.of(label) }) }]);
  }
}

/** Decoded as the store decodes it, so an invalid edit fails here first. */
function decodeChange(change: LayerChange): LabelRuns {
  const [nx, ny, nz] = crashGrid;
  return decodeRuns(change.runs, nx * ny * nz);
}
