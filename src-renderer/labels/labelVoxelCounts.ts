/**
 * How many voxels each segment label (1..254) holds in the strokes and the
 * accepted layer (the end-to-end tests read them through views/testHooks.ts).
 * One pass over both layers, counting into arrays: no Map lookups per voxel.
 */

export interface LabelVoxelCount {
  strokes: number;
  accepted: number;
}

/** Voxels per segment label in each layer; labels found in neither are left out. */
export function labelVoxelCounts(strokesLayer: Uint8Array, acceptedLayer: Uint8Array): Map<number, LabelVoxelCount> {
  const strokes = new Float64Array(256);
  const accepted = new Float64Array(256);
  for (let v = 0; v < strokesLayer.length; v++) {
    strokes[strokesLayer[v] as number]! += 1;
    accepted[acceptedLayer[v] as number]! += 1;
  }
  const out = new Map<number, LabelVoxelCount>();
  for (let label = 1; label < 255; label++) {
    if (strokes[label]! > 0 || accepted[label]! > 0) out.set(label, { strokes: strokes[label]!, accepted: accepted[label]! });
  }
  return out;
}
