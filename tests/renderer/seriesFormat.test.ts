import { describe, expect, it } from 'vitest';
import { dragHasFiles, droppedPaths, findPathForFile } from '../../src-renderer/components/dropPaths';
import { formatPersonName, formatStudyDate } from '../../src-renderer/components/seriesFormat';

describe('series wording', () => {
  it('prints DICOM dates as ISO dates and says when there is none', () => {
    expect(formatStudyDate('20140311')).toBe('2014-03-11');
    expect(formatStudyDate('2014-03-11')).toBe('2014-03-11');
    expect(formatStudyDate('  ')).toBeNull();
  });

  it('prints DICOM person names as people write them', () => {
    expect(formatPersonName('Doe^Jane^Q')).toBe('Doe, Jane Q');
    expect(formatPersonName('Anonymous')).toBe('Anonymous');
    expect(formatPersonName('^^')).toBe('Name not recorded');
  });
});

describe('dropped paths', () => {
  it('finds the preload\'s pathForFile only in the desktop app', () => {
    expect(findPathForFile({})).toBeNull();
    expect(findPathForFile({ maclBridge: { send() {} } })).toBeNull();
    const pathForFile = findPathForFile({ maclBridge: { pathForFile: (file: File) => `/tmp/${file.name}` } });
    expect(pathForFile?.(new File([''], 'x.dcm'))).toBe('/tmp/x.dcm');
  });

  it('keeps only files with a path, and only drags that carry files', () => {
    expect(droppedPaths([new File([''], 'a'), new File([''], 'b')], (file) => (file.name === 'a' ? '/a' : ''))).toEqual(['/a']);
    const textDrag = new Event('dragover') as DragEvent;
    expect(dragHasFiles(textDrag)).toBe(false);
  });
});
