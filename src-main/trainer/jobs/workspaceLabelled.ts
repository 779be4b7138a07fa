/**
 * The user's labelled scans in a workspace, for measuring a new pre-trained model on them
 * (heldOutBenefit.ts): the newest label files whose series the workspace can load, each
 * as its normalised volume and training labels. Label files are only read (a file that does not
 * decode is passed over, never moved or rewritten: the app owns them).
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { isCancelled, type CancelLike } from '../../shared/cancellation';
import type { LabelledVolume } from './heldOutBenefit';
import { decodeLabelFile } from '../../labels/labelFileFormat';
import { labelFileExtension, labelsDirOf } from '../../labels/labelPaths';
import { normalizeIntensities } from '../../ml/normalize';
import { applyRuns } from '../../shared/labels/labelRuns';
import { loadImageInput } from './imageInput';
import { labelsFromLayers } from './labelInput';

/** A labelled scan and where it came from. */
export interface WorkspaceLabelledVolume extends LabelledVolume {
  readonly seriesId: string;
}

/** Up to `limit` labelled series, newest label file first; `skipped` says why others were passed over. */
export async function loadWorkspaceLabelled(workspaceDir: string, limit: number, signal?: CancelLike): Promise<{ volumes: WorkspaceLabelledVolume[]; skipped: string[] }> {
  const dir = labelsDirOf(workspaceDir);
  let names: string[];
  try {
    names = (await fsp.readdir(dir)).filter((name) => name.endsWith(labelFileExtension));
  } catch {
    return { volumes: [], skipped: [] }; // no labels folder: nothing labelled yet
  }
  const dated = await Promise.all(names.map(async (name) => ({ file: path.join(dir, name), mtime: (await fsp.stat(path.join(dir, name))).mtimeMs })));
  dated.sort((a, b) => b.mtime - a.mtime);
  const volumes: WorkspaceLabelledVolume[] = [];
  const skipped: string[] = [];
  for (const { file } of dated) {
    if (volumes.length >= limit || isCancelled(signal)) break;
    try {
      const content = await decodeLabelFile(await fsp.readFile(file));
      const [nx, ny, nz] = content.dimensions;
      const strokes = new Uint8Array(nx * ny * nz);
      const accepted = new Uint8Array(nx * ny * nz);
      applyRuns(strokes, content.strokes);
      applyRuns(accepted, content.accepted);
      const labels = labelsFromLayers(strokes, accepted);
      if (!labels.some((v) => v > 0)) continue; // only background strokes: nothing to score
      const input = await loadImageInput({ seriesId: content.seriesId }, workspaceDir, signal);
      if (input.volume.geometry.dimensions.join() !== content.dimensions.join()) {
        skipped.push(`${path.basename(file)}: its grid ${content.dimensions.join('x')} is not the series' ${input.volume.geometry.dimensions.join('x')}`);
        continue;
      }
      volumes.push({ seriesId: content.seriesId, labels, volume: { data: normalizeIntensities(input.volume.voxels), width: nx, height: ny, depth: nz } });
    } catch (thrown) {
      skipped.push(`${path.basename(file)}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    }
  }
  return { volumes, skipped };
}
