import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seriesIdSchema, type SeriesSummary } from '../../../src-main/shared/contract/series';
import { nodeAtomicWriteFs } from '../../../src-main/workspace/atomicWrite';
import { loadSeriesIndex, openSeriesIndex, type IndexedSeries } from '../../../src-main/workspace/seriesIndex';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'macl-index-'));
  file = path.join(dir, 'series-index.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function entry(id: string, slices = 3): IndexedSeries {
  const summary: SeriesSummary = {
    seriesId: seriesIdSchema.parse(id),
    source: 'dicom',
    kind: 'image',
    patientName: 'Doe, Jane',
    patientId: 'P1',
    studyDate: '20240101',
    studyInstanceUid: '1.2.3',
    seriesInstanceUid: id.split('#')[0] ?? id,
    seriesNumber: 1,
    modality: 'CT',
    description: 'test',
    sliceCount: slices,
    rows: 2,
    columns: 2,
    geometry: null,
    problems: [],
    thumbnail: null,
  };
  return { summary, slices: Array.from({ length: slices }, (_, k) => ({ path: `/data/${id}/${k}.dcm`, frame: null, positionMm: k * 2.5 })), importedAt: '2024-01-01T00:00:00.000Z' };
}

describe('series index', () => {
  it('starts empty when the file is missing, and round-trips through the file', async () => {
    const store = await openSeriesIndex(file);
    expect(store.list()).toEqual([]);
    expect(store.loadProblem).toBeNull();
    await store.upsert([entry('1.1'), entry('1.2')]);
    await store.upsert([entry('1.1', 5)]);
    const again = await openSeriesIndex(file);
    expect(again.summaries().map((s) => s.seriesId)).toEqual(['1.1', '1.2']);
    expect(again.get('1.1')?.slices).toHaveLength(5);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'macl-series-index', version: 1 });
  });

  it('drops replaced sub-series and removes series', async () => {
    const store = await openSeriesIndex(file);
    await store.upsert([entry('1.1'), entry('1.1#2'), entry('1.2')]);
    await store.upsert([entry('1.1', 4)], ['1.1', '1.1#2']);
    expect(store.summaries().map((s) => s.seriesId)).toEqual(['1.1', '1.2']);
    expect(await store.remove('1.2')).toBe(true);
    expect(await store.remove('nope')).toBe(false);
    expect((await loadSeriesIndex(file)).series.map((s) => s.summary.seriesId)).toEqual(['1.1']);
  });

  it('serialises concurrent changes', async () => {
    const store = await openSeriesIndex(file);
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.upsert([entry(`2.${i}`)])));
    expect(store.list()).toHaveLength(10);
    expect((await loadSeriesIndex(file)).series).toHaveLength(10);
  });

  it('keeps a corrupt file as a .corrupt copy and says so', async () => {
    writeFileSync(file, '{"format": "macl-series-index", "version": 1, "series": [ {"summary": tor');
    const store = await openSeriesIndex(file);
    expect(store.list()).toEqual([]);
    expect(store.loadProblem).toMatch(/series-index\.json is corrupt: not valid JSON.*kept as .*series-index\.json\.corrupt-/);
    const copies = readdirSync(dir).filter((name) => name.includes('.corrupt-'));
    expect(copies).toHaveLength(1);
    expect(readFileSync(path.join(dir, copies[0] ?? ''), 'utf8')).toContain('tor');
    expect(existsSync(file)).toBe(false);
  });

  it('reports content that is JSON but not an index', async () => {
    writeFileSync(file, JSON.stringify({ format: 'something-else' }));
    const loaded = await loadSeriesIndex(file);
    expect(loaded.problem).toMatch(/unexpected content/);
  });

  it('leaves memory and disk unchanged when a save fails', async () => {
    let fail = false;
    const fs = { ...nodeAtomicWriteFs, rename: async (from: string, to: string) => (fail ? Promise.reject(new Error('ENOSPC: no space left on device')) : nodeAtomicWriteFs.rename(from, to)) };
    const store = await openSeriesIndex(file, { fs });
    await store.upsert([entry('3.1')]);
    fail = true;
    await expect(store.upsert([entry('3.2')])).rejects.toThrow(/ENOSPC/);
    expect(store.summaries().map((s) => s.seriesId)).toEqual(['3.1']);
    expect((await loadSeriesIndex(file)).series.map((s) => s.summary.seriesId)).toEqual(['3.1']);
    fail = false;
    await store.upsert([entry('3.3')]);
    expect(store.summaries().map((s) => s.seriesId)).toEqual(['3.1', '3.3']);
  });
});
