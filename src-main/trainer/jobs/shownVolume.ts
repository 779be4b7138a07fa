/**
 * The newest model version's answer over the whole volume, as the session
 * streams it slice by slice, so that once every slice is in, the regions no
 * stroke of their structure touches can be dropped in 3-D
 * (ml/keepStrokeConnected.ts) and the slices that changed sent again. The
 * slice on screen still comes first and at once; islands on slices nobody
 * painted (scalp, skull base, neck) disappear when the volume is complete.
 */
import { keepStrokeConnected } from '../../ml/keepStrokeConnected';
import type { SliceLabels } from './interactiveLayers';

export class ShownVolume {
  private readonly labels: Uint8Array;
  private readonly perSlice: number;

  constructor(private readonly dimensions: readonly [number, number, number]) {
    const [nx, ny, nz] = dimensions;
    this.perSlice = nx * ny;
    this.labels = new Uint8Array(nx * ny * nz);
  }

  /** Records slices `ks` (their labels concatenated, x fastest). */
  write(ks: readonly number[], labels: Uint8Array): void {
    ks.forEach((k, i) => this.labels.set(labels.subarray(i * this.perSlice, (i + 1) * this.perSlice), k * this.perSlice));
  }

  /**
   * Drops, in place, every region not connected to a stroke of its class
   * (`strokes`: the session's labelled slices, -1 unlabelled); returns the
   * slices that changed, with their new labels.
   */
  keepStrokeConnected(strokes: readonly SliceLabels[], classes: number): Array<{ readonly k: number; readonly labels: Uint8Array }> {
    const [nx, ny, nz] = this.dimensions;
    // Int16: classes run to 254, and -1 marks an unlabelled voxel.
    const strokeVolume = new Int16Array(this.labels.length).fill(-1);
    for (const slice of strokes) strokeVolume.set(slice.labels, slice.k * this.perSlice);
    const { labels, removed } = keepStrokeConnected(this.labels, strokeVolume, { width: nx, height: ny, depth: nz }, classes);
    if (removed.every((count) => count === 0)) return [];
    const changed: Array<{ k: number; labels: Uint8Array }> = [];
    for (let k = 0; k < nz; k += 1) {
      const from = k * this.perSlice;
      for (let i = from; i < from + this.perSlice; i += 1) {
        if (labels[i] !== this.labels[i]) {
          changed.push({ k, labels: labels.slice(from, from + this.perSlice) });
          break;
        }
      }
    }
    this.labels.set(labels);
    return changed;
  }
}
