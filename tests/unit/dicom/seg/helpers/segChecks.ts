/**
 * Independent checks of a written DICOM-SEG: dciodvfy (IOD), dcentvfy
 * (patient/study/frame-of-reference consistency with its source files) and a
 * pydicom decode that places every frame by reference and by position.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requirePydicom, requireTool, systemPython } from '../../helpers/externalTools';

export interface ValidatorRun {
  readonly status: number | null;
  /** Lines naming an error. */
  readonly errors: string[];
  readonly output: string;
}

function run(command: string, args: readonly string[]): ValidatorRun {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const output = `${result.stdout}${result.stderr}`;
  return { status: result.status, errors: output.split('\n').filter((line) => /^\s*Error/i.test(line)), output };
}

/** dciodvfy on one file. */
export function dciodvfy(file: string): ValidatorRun {
  requireTool('dciodvfy', 'dicom3tools');
  return run('dciodvfy', [file]);
}

/** dcentvfy on the SEG and its source files together. */
export function dcentvfy(files: readonly string[]): ValidatorRun {
  requireTool('dcentvfy', 'dicom3tools');
  const result = run('dcentvfy', files);
  // Inconsistencies are "Error" lines, or warnings about differing values, VRs,
  // multiplicities or item counts. "Attribute present in one instance but not
  // the other" is not one: the SEG must carry type 2 attributes (empty) that a
  // source may omit.
  return { ...result, errors: result.output.split('\n').filter((line) => /^\s*Error|different|Value present in one instance/i.test(line)) };
}

export interface DecodedSegment {
  readonly number: number;
  readonly voxels: number;
  readonly diceByUid: number;
  readonly diceByPosition: number | null;
}

export interface PydicomDecode {
  readonly errors: string[];
  readonly frames: number;
  readonly segments: DecodedSegment[];
}

/** Decodes `seg` with pydicom against the sorted source `slices` and compares with each segment's exported mask. */
export function pydicomDecodeSeg(
  seg: string,
  slices: readonly { path: string; frame: number | null }[],
  segments: readonly { number: number; volume: Uint8Array; value: number }[],
): PydicomDecode {
  requirePydicom();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'macl-segdecode-'));
  try {
    const spec = {
      seg,
      slices: slices.map((slice) => ({ file: slice.path, frame: slice.frame })),
      segments: segments.map((s, i) => {
        const volume = path.join(dir, `segment-${i}.raw`);
        writeFileSync(volume, s.volume);
        return { number: s.number, volume, value: s.value };
      }),
    };
    const specFile = path.join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const result = spawnSync(systemPython, [path.resolve('tests/unit/dicom/seg/decode_seg.py'), specFile], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (result.status !== 0) throw new Error(`decode_seg.py failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as PydicomDecode;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const reUidScript = `
import hashlib, os, sys, warnings
warnings.filterwarnings("ignore")
import pydicom
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
def fix(ds):
    for elem in ds.iterall():
        if elem.VR == "UI" and isinstance(elem.value, str) and elem.value.startswith(("0.0.0.0.", "999.999.")):
            elem.value = "2.25." + str(int(hashlib.md5(elem.value.encode()).hexdigest(), 16))
for name in sorted(os.listdir(src)):
    ds = pydicom.dcmread(os.path.join(src, name))
    fix(ds)
    fix(ds.file_meta)
    ds.save_as(os.path.join(dst, name))
`;

/** Copies the DICOM files of \`from\` into \`to\` with invalid UID roots (0.0.0.0, 999.999) replaced consistently; geometry and pixels untouched. */
export function reUidCopy(from: string, to: string): void {
  requirePydicom();
  const result = spawnSync(systemPython, ['-c', reUidScript, from, to], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`re-UID copy failed: ${result.stderr}`);
}
