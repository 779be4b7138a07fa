import { describe, expect, it } from 'vitest';
import { scrollDelta, scrollStepFor } from '../../../src-renderer/viewer/scrollKeys';
import { seriesImageIds, withoutFrame } from '../../../src-renderer/viewer/imageIds';

describe('image ids', () => {
  it('resolves the app\'s relative slice URLs against the page into wadouri ids', () => {
    const { imageIds, files } = seriesImageIds(['files/s1/0', 'files/s1/1'], 'http://127.0.0.1:4711/');
    expect(imageIds).toEqual(['wadouri:http://127.0.0.1:4711/files/s1/0', 'wadouri:http://127.0.0.1:4711/files/s1/1']);
    expect(files.map((file) => file.url)).toEqual(['http://127.0.0.1:4711/files/s1/0', 'http://127.0.0.1:4711/files/s1/1']);
  });

  it('works under the desktop app\'s own scheme', () => {
    const { imageIds } = seriesImageIds(['files/s1/0'], 'app://macl/index.html');
    expect(imageIds).toEqual(['wadouri:app://macl/files/s1/0']);
  });

  it('fetches a multi-frame file once, under its id without the frame', () => {
    const { imageIds, files } = seriesImageIds(['files/mf/0?frame=1', 'files/mf/0?frame=2', 'files/mf/0?frame=3'], 'http://h/');
    expect(imageIds).toHaveLength(3);
    expect(imageIds[1]).toBe('wadouri:http://h/files/mf/0?frame=2');
    expect(files).toEqual([{ url: 'http://h/files/mf/0', baseImageId: 'wadouri:http://h/files/mf/0', imageIds }]);
    expect(withoutFrame('http://h/files/mf/0?a=1&frame=4')).toBe('http://h/files/mf/0?a=1');
  });
});

describe('scroll keys', () => {
  it('steps one slice with the arrows, a tenth with the page keys, and jumps with Home/End', () => {
    expect(scrollStepFor('ArrowUp', 200)).toEqual({ kind: 'by', slices: -1 });
    expect(scrollStepFor('ArrowDown', 200)).toEqual({ kind: 'by', slices: 1 });
    expect(scrollStepFor('PageDown', 200)).toEqual({ kind: 'by', slices: 20 });
    expect(scrollStepFor('PageUp', 20)).toEqual({ kind: 'by', slices: -5 });
    expect(scrollStepFor('a', 20)).toBeNull();
    const home = scrollStepFor('Home', 20);
    const end = scrollStepFor('End', 20);
    if (home === null || end === null) throw new Error('missing step');
    expect(scrollDelta(home, 7, 20)).toBe(-7);
    expect(scrollDelta(end, 7, 20)).toBe(12);
  });
});
