/**
 * The expected geometry of a DICOM series computed outside the workstation's
 * code, by pydicom in the system Python: slices sorted by ImagePositionPatient
 * projected on the normal (row × column of ImageOrientationPatient).
 */
import { spawnSync } from 'node:child_process';
import { requirePydicom, systemPython } from './externalTools';

export interface ExpectedGeometry {
  /** SOP Instance UIDs in sorted order. */
  readonly order: string[];
  readonly files: string[];
  readonly normal: [number, number, number];
  readonly row: [number, number, number];
  readonly column: [number, number, number];
  readonly origin: [number, number, number];
  /** (last − first) / (n − 1) along the normal. */
  readonly meanSpacing: number;
  /** Distance between the first two sorted slices. */
  readonly firstGap: number;
  readonly pixelSpacing: [number, number];
  readonly positions: number[];
}

const script = `
import json, sys, numpy as np, pydicom
rows = []
for f in sys.argv[1:]:
    d = pydicom.dcmread(f, stop_before_pixels=True)
    iop = np.array([float(v) for v in d.ImageOrientationPatient])
    ipp = np.array([float(v) for v in d.ImagePositionPatient])
    n = np.cross(iop[:3], iop[3:])
    n = n / np.linalg.norm(n)
    rows.append((float(ipp @ n), f, str(d.SOPInstanceUID), ipp.tolist(), iop.tolist(), n.tolist(), [float(v) for v in d.PixelSpacing]))
rows.sort(key=lambda r: r[0])
d = [r[0] for r in rows]
print(json.dumps({
  "order": [r[2] for r in rows], "files": [r[1] for r in rows], "normal": rows[0][5],
  "row": rows[0][4][:3], "column": rows[0][4][3:], "origin": rows[0][3],
  "meanSpacing": (d[-1] - d[0]) / (len(d) - 1), "firstGap": d[1] - d[0],
  "pixelSpacing": rows[0][6], "positions": d}))
`;

/** Sorts `files` (one series) with pydicom and returns the expected geometry. */
export function pydicomGeometry(files: readonly string[]): ExpectedGeometry {
  requirePydicom();
  const run = spawnSync(systemPython, ['-c', script, ...files], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`pydicom geometry failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ExpectedGeometry;
}
