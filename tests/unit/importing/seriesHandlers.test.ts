/**
 * The series contract served by the import service over the in-memory RPC
 * transport: import as a stream with progress, list, images, remove, errors.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImportService } from '../../../src-main/importing/importService';
import { createSeriesHandlers, seriesContract } from '../../../src-main/importing/seriesHandlers';
import { createMemoryTransportPair } from '../../../src-main/shared/rpc/memoryTransport';
import { serveContract } from '../../../src-main/shared/rpc/server';
import { createRpcClient } from '../../../src-main/shared/rpc/client';
import { daikonVolume, tempDir } from '../dicom/helpers/testData';

const temp = tempDir('handlers');
afterAll(() => temp.cleanup());

describe('series handlers', () => {
  it('import streams progress then the report; list, images and remove answer', async () => {
    const service = await createImportService({ workspaceDir: temp.dir });
    const [serverSide, clientSide] = createMemoryTransportPair();
    serveContract(seriesContract, createSeriesHandlers(service), serverSide);
    const client = createRpcClient(seriesContract, clientSide);
    const events: string[] = [];
    let seriesId = '';
    await new Promise<void>((resolve, reject) => {
      client.listen('series.import', { paths: [daikonVolume] }, {
        onEvent: (event) => {
          events.push(event.kind);
          if (event.kind === 'done') seriesId = event.report.series[0]?.seriesId ?? '';
        },
        onEnd: (end) => (end.reason === 'done' ? resolve() : reject(new Error(JSON.stringify(end)))),
      });
    });
    expect(events.at(-1)).toBe('done');
    expect(events).toContain('progress');
    const list = await client.call('series.list', {});
    expect(list.ok && list.value.map((s) => s.seriesId)).toEqual([seriesId]);
    const images = await client.call('series.images', { seriesId: seriesId });
    expect(images.ok && images.value.imageUrls).toHaveLength(20);
    const missing = await client.call('series.images', { seriesId: 'nope' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const removed = await client.call('series.remove', { seriesId: seriesId });
    expect(removed).toEqual({ ok: true, value: [] });
    expect(path.isAbsolute(service.paths.seriesIndex)).toBe(true);
  });
});
