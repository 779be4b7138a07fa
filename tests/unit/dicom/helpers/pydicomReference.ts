/**
 * Decodes DICOM files with pydicom (and GDCM for the compressed ones) in the
 * system Python and returns their pixel arrays: the independent decoder the
 * workstation's own decoding is compared with.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requirePydicom, systemPython } from './externalTools';

export interface ReferencePixels {
  readonly file: string;
  /** numpy dtype name, e.g. int16, uint8. */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Samples in C order (frames, rows, columns, samples), in numpy's dtype. */
  readonly values: ArrayLike<number>;
  readonly error: string | null;
}

const script = `
import warnings
warnings.filterwarnings("ignore")
import json, sys, numpy as np, pydicom
from pydicom.pixel_data_handlers import gdcm_handler, numpy_handler, rle_handler
pydicom.config.pixel_data_handlers = [numpy_handler, rle_handler, gdcm_handler]
out = sys.argv[1]
meta = []
for i, f in enumerate(sys.argv[2:]):
    try:
        a = pydicom.dcmread(f).pixel_array
        a = np.ascontiguousarray(a)
        a.astype(a.dtype.newbyteorder('<')).tofile(f"{out}/{i}.bin")
        meta.append({"dtype": a.dtype.name, "shape": list(a.shape), "error": None})
    except Exception as e:
        meta.append({"dtype": "", "shape": [], "error": f"{type(e).__name__}: {e}"})
json.dump(meta, open(f"{out}/meta.json", "w"))
`;

const readers: Readonly<Record<string, (buffer: ArrayBuffer) => ArrayLike<number>>> = {
  uint8: (b) => new Uint8Array(b),
  int8: (b) => new Int8Array(b),
  uint16: (b) => new Uint16Array(b),
  int16: (b) => new Int16Array(b),
  uint32: (b) => new Uint32Array(b),
  int32: (b) => new Int32Array(b),
  float32: (b) => new Float32Array(b),
  float64: (b) => new Float64Array(b),
};

/** Decodes `files` with pydicom in one Python process. */
export function pydicomPixels(files: readonly string[]): ReferencePixels[] {
  requirePydicom();
  const out = mkdtempSync(path.join(os.tmpdir(), 'macl-pydicom-'));
  try {
    const run = spawnSync(systemPython, ['-c', script, out, ...files], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (run.status !== 0) throw new Error(`pydicom reference decoding failed: ${run.stderr}`);
    const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')) as { dtype: string; shape: number[]; error: string | null }[];
    return files.map((file, i) => {
      const entry = meta[i];
      if (entry === undefined) throw new Error(`no pydicom result for ${file}`);
      if (entry.error !== null) return { file, dtype: '', shape: [], values: [], error: entry.error };
      const bytes = readFileSync(path.join(out, `${i}.bin`));
      const reader = readers[entry.dtype];
      if (reader === undefined) throw new Error(`unexpected dtype ${entry.dtype} for ${file}`);
      const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return { file, dtype: entry.dtype, shape: entry.shape, values: reader(copy), error: null };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
