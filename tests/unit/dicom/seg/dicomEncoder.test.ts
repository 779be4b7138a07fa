/**
 * The encoder's value formatting and the colour conversion, checked against
 * pydicom reading what the encoder wrote.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dicomLabToRgbHex, rgbHexToDicomLab } from '../../../../src-main/dicom/seg/cielab';
import { dataSet, decimals, encodePart10, formatDecimal, sequence, tag, text, us } from '../../../../src-main/dicom/seg/dicomEncoder';
import { requirePydicom, systemPython } from '../helpers/externalTools';
import { tempDir } from '../helpers/testData';

const temp = tempDir('segencoder');
afterAll(() => temp.cleanup());

describe('DICOM encoder', () => {
  it('formats decimal strings within 16 characters, keeping exact values when they fit', () => {
    expect(formatDecimal(-125)).toBe('-125');
    expect(formatDecimal(-0)).toBe('0');
    expect(formatDecimal(0.86602540378444)).toBe('0.86602540378444');
    for (const value of [0.1 + 0.2, -123.45678901234567, 1e-20, -9.87654321e21, 1 / 3]) {
      const formatted = formatDecimal(value);
      expect(formatted.length).toBeLessThanOrEqual(16);
      expect(Math.abs(Number(formatted) - value)).toBeLessThanOrEqual(Math.abs(value) * 1e-9);
    }
    expect(() => formatDecimal(Number.NaN)).toThrow(/cannot hold NaN/);
  });

  it('writes a Part-10 file pydicom reads back: tag order, sequences, UTF-8 text, odd lengths padded', () => {
    requirePydicom();
    const file = path.join(temp.dir, 'enc.dcm');
    const set = dataSet([
      [tag(0x0010, 0x0010), text('PN', 'Müller^Jörg')],
      [tag(0x0008, 0x0005), text('CS', 'ISO_IR 192')],
      [tag(0x0008, 0x0016), text('UI', '1.2.3')],
      [tag(0x0008, 0x0018), text('UI', '1.2.3.4')],
      [tag(0x0020, 0x0032), decimals([1.5, -2, 0.1 + 0.2])],
      [tag(0x0062, 0x0002), sequence([dataSet([[tag(0x0062, 0x0004), us(7)]]), dataSet([[tag(0x0062, 0x0004), us(8)]])])],
    ]);
    writeFileSync(file, encodePart10(set, { sopClassUid: '1.2.3', sopInstanceUid: '1.2.3.4', implementationClassUid: '1.2.3.5', implementationVersionName: 'T' }));
    const script = 'import sys, json, pydicom; d = pydicom.dcmread(sys.argv[1]); print(json.dumps([str(d.PatientName), [float(x) for x in d.ImagePositionPatient], [int(i.SegmentNumber) for i in d.SegmentSequence], d.SOPInstanceUID, [e.tag for e in d]]))';
    const run = spawnSync(systemPython, ['-c', script, file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const [name, position, numbers, sop, tags] = JSON.parse(run.stdout) as [string, number[], number[], string, number[]];
    expect(name).toBe('Müller^Jörg');
    expect(position).toEqual([1.5, -2, 0.3]);
    expect(numbers).toEqual([7, 8]);
    expect(sop).toBe('1.2.3.4');
    expect(tags).toEqual([...tags].sort((a, b) => a - b));
  });
});

describe('segment colours', () => {
  it('round-trip #rrggbb through DICOM CIELab', () => {
    for (const colour of ['#000000', '#ffffff', '#aa0000', '#3366ff', '#ffcc00', '#22aa44', '#884400']) expect(dicomLabToRgbHex(rgbHexToDicomLab(colour))).toBe(colour);
    // D65 white is L* 100, a* = b* = 0: scaled 65535, 32896, 32896.
    expect(rgbHexToDicomLab('#ffffff')).toEqual([65535, 32896, 32896]);
  });
});
