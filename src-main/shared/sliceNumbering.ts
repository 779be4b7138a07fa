/**
 * One slice numbering for every side: the number the viewer's overlay shows.
 * The label grid (and so the trainer, the session and every file we write)
 * counts slices k = 0.. in sorted order along the series' own axes; the
 * viewer counts 1.. along its plane's view normal, which for an axial series
 * shown in the axial plane runs the other way (the viewer's slice 1 is the
 * top of the head, the grid's k = 0 the bottom). Anything a user reads (the
 * viewport overlay, the training panel, the job list, CLI output) names a
 * slice through {@link viewerSliceNumber}, so the numbers agree everywhere.
 */
/** The three planes of the viewer. */
export type ViewerPlane = 'axial' | 'sagittal' | 'coronal';

type Vec3 = readonly [number, number, number];

/**
 * The view-plane normal of each plane (LPS), as the viewer's cameras set it
 * (cornerstone's MPR camera values): its slice 1 is where the position along
 * this normal is smallest.
 */
export const viewerPlaneNormals: Readonly<Record<ViewerPlane, Vec3>> = {
  axial: [0, 0, -1],
  sagittal: [1, 0, 0],
  coronal: [0, -1, 0],
};

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** The grid geometry a numbering needs (a series' geometry, or the renderer's label grid). */
export interface SliceGeometry {
  readonly dimensions: Vec3;
  /** Row direction, column direction, slice normal (LPS), as a series' geometry has them. */
  readonly direction: readonly [Vec3, Vec3, Vec3];
}

/** The plane that shows the slices across grid axis `axis` (0: columns, 1: rows, 2: sorted slices). */
export function planeOfAxis(geometry: SliceGeometry, axis: 0 | 1 | 2): ViewerPlane {
  const along = geometry.direction[axis];
  let best: ViewerPlane = 'axial';
  for (const plane of ['axial', 'sagittal', 'coronal'] as const) {
    if (Math.abs(dot(along, viewerPlaneNormals[plane])) > Math.abs(dot(along, viewerPlaneNormals[best]))) best = plane;
  }
  return best;
}

export interface ViewerSliceNumber {
  /** 1-based, as the viewer's overlay shows it. */
  readonly number: number;
  /** Slices along that axis. */
  readonly count: number;
  readonly plane: ViewerPlane;
}

/** The number the viewer shows for grid slice `index` along `axis` (default: the sorted slices, k). */
export function viewerSliceNumber(geometry: SliceGeometry, index: number, axis: 0 | 1 | 2 = 2): ViewerSliceNumber {
  const count = geometry.dimensions[axis];
  const plane = planeOfAxis(geometry, axis);
  const forward = dot(geometry.direction[axis], viewerPlaneNormals[plane]) >= 0;
  return { number: forward ? index + 1 : count - index, count, plane };
}

/** "slice N of COUNT" for grid slice k, as every panel and command words it. */
export function describeSlice(geometry: SliceGeometry, k: number): string {
  const { number, count } = viewerSliceNumber(geometry, k);
  return `slice ${number} of ${count}`;
}
