/**
 * The geometry of a frame read from its tags, the same whatever form the
 * data set has (a parsed file in headerFromDataSet.ts, WADO-RS metadata in
 * pacs/headerFromDicomJson.ts): position, orientation and pixel spacing
 * found directly in a data set, those of an enhanced multi-frame object's
 * functional-group item (plane position, plane orientation, pixel measures,
 * pixel value transformation), and the merge of file-level and per-frame parts.
 */
import type { FrameGeometry } from './dicomHeader';

/** What the geometry needs of a data set. Tags are 8 hex digits, e.g. '00200032'. */
export interface GeometryTags {
  /** Every finite value of a DS/IS element; [] when it is absent. */
  numbers(tag: string): readonly number[];
  /** The first item of a sequence, or undefined. */
  item(tag: string): GeometryTags | undefined;
}

export const noGeometry: FrameGeometry = { position: null, orientation: null, pixelSpacing: null, rescale: null };

type GeometryParts = { -readonly [K in keyof FrameGeometry]?: FrameGeometry[K] };

function vec3Of(values: readonly number[]): [number, number, number] | null {
  const [x, y, z] = values;
  return x === undefined || y === undefined || z === undefined ? null : [x, y, z];
}

/** The geometry found directly in `tags` (top level, or one functional group item). */
export function geometryIn(tags: GeometryTags | undefined): Partial<FrameGeometry> {
  if (tags === undefined) return {};
  const result: GeometryParts = {};
  const position = vec3Of(tags.numbers('00200032'));
  if (position !== null) result.position = position;
  const iop = tags.numbers('00200037');
  const row = vec3Of(iop.slice(0, 3));
  const col = vec3Of(iop.slice(3, 6));
  if (row !== null && col !== null) result.orientation = [row, col];
  const spacing = tags.numbers('00280030');
  if (spacing.length >= 2 && spacing[0] !== undefined && spacing[1] !== undefined && spacing[0] > 0 && spacing[1] > 0) {
    result.pixelSpacing = [spacing[0], spacing[1]];
  }
  return result;
}

/** Geometry of one functional-groups item (per-frame or shared). */
export function functionalGroupGeometry(group: GeometryTags | undefined): Partial<FrameGeometry> {
  if (group === undefined) return {};
  const result: GeometryParts = {
    ...geometryIn(group.item('00209113')),
    ...geometryIn(group.item('00209116')),
    ...geometryIn(group.item('00289110')),
  };
  const transform = group.item('00289145');
  if (transform !== undefined) {
    const slope = transform.numbers('00281053')[0] ?? null;
    const intercept = transform.numbers('00281052')[0] ?? null;
    if (slope !== null || intercept !== null) result.rescale = { slope: slope ?? 1, intercept: intercept ?? 0 };
  }
  return result;
}

/** The parts in order, each over the ones before; what none of them gives stays null. */
export function mergeGeometry(...parts: Partial<FrameGeometry>[]): FrameGeometry {
  const result: { -readonly [K in keyof FrameGeometry]: FrameGeometry[K] } = { ...noGeometry };
  for (const part of parts) {
    if (part.position !== undefined) result.position = part.position;
    if (part.orientation !== undefined) result.orientation = part.orientation;
    if (part.pixelSpacing !== undefined) result.pixelSpacing = part.pixelSpacing;
    if (part.rescale !== undefined) result.rescale = part.rescale;
  }
  return result;
}
