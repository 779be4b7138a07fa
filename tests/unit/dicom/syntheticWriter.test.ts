/**
 * The benchmark's own DICOM writer produces files that independent readers
 * accept (pydicom, dcmdump) and that the scanner sorts and decodes; and the
 * benchmark runs end to end (small size here; `macl bench` runs 10,000).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHeaderScanBench } from '../../../src-main/eval/headerScanBench';
import { writeSyntheticDicom } from '../../../src-main/eval/syntheticDicom';
import { decodeFile } from '../../../src-main/dicom/pixels/pixelDecode';
import { requirePydicom, requireTool, systemPython } from './helpers/externalTools';
import { tempDir } from './helpers/testData';

const temp = tempDir('writer');
afterAll(() => temp.cleanup());

describe('synthetic DICOM writer', () => {
  it('writes files pydicom and dcmdump read, with the pixels written', async () => {
    const pixels = new Int16Array(12).map((_, i) => i * 100 - 600);
    const file = path.join(temp.dir, 'one.dcm');
    writeFileSync(file, writeSyntheticDicom({
      studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.3.4', sopInstanceUid: '1.2.3.4.5', seriesNumber: 7, instanceNumber: 3,
      rows: 3, columns: 4, position: [-1.5, 2, 30], orientation: [[1, 0, 0], [0, 1, 0]], pixelSpacing: [0.5, 0.25], sliceThickness: 1,
      rescaleIntercept: -1024, rescaleSlope: 1, pixels,
    }));
    requireTool('dcmdump', 'dcmtk');
    const dump = spawnSync('dcmdump', ['-q', file], { encoding: 'utf8' });
    expect(dump.status, dump.stderr).toBe(0);
    expect(dump.stderr).toBe('');
    expect(dump.stdout).toContain('(0020,0032) DS [-1.5\\2\\30]');
    requirePydicom();
    const py = spawnSync(systemPython, ['-c', 'import sys, pydicom; d = pydicom.dcmread(sys.argv[1]); print(d.pixel_array.ravel().tolist(), d.SeriesNumber, d.PixelSpacing)', file], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    expect(py.stdout.trim()).toBe(`${JSON.stringify(Array.from(pixels)).replace(/,/g, ', ')} 7 [0.5, 0.25]`);
    expect(Array.from((await decodeFile(file)).pixels)).toEqual(Array.from(pixels));
  });

  it('runs the header-scan benchmark and cleans up', async () => {
    const lines: string[] = [];
    const result = await runHeaderScanBench({ files: 300, slicesPerSeries: 50, tempDir: temp.dir, log: (line) => lines.push(line) });
    expect(result).toMatchObject({ benchmark: 'header-scan', files: 300, series: 6 });
    expect(result.filesPerSecond).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/files\/s/);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(temp.dir).filter((name) => name.startsWith('macl-header-bench-'))).toEqual([]);
  });
});
