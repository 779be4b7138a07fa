import { describe, expect, it } from 'vitest';
import { parseSeriesFilePath } from '../../../src-main/services/seriesFileRoute';

describe('series file route', () => {
  it('parses an encoded series id and a slice index', () => {
    expect(parseSeriesFilePath(`/files/${encodeURIComponent('1.2.840.113619#2')}/17`)).toEqual({ seriesId: '1.2.840.113619#2', index: 17 });
  });

  it('refuses anything that is not exactly files/<id>/<index>', () => {
    for (const bad of ['/files/', '/files/abc', '/files/abc/1/2', '/files/abc/-1', '/files/abc/1.5', '/files//3', '/files/%E0%A4%A/1', '/index.html']) {
      expect(parseSeriesFilePath(bad), bad).toBeNull();
    }
  });
});
