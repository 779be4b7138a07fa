/**
 * The archive contract served by the archive scanner over the in-memory RPC
 * transport: progress then a summary; a corrupt file listed with its reason;
 * cancelling the stream stops the scan, and the next scan resumes it.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveContract, createArchiveHandlers, type ArchiveHandlersOptions } from '../../../src-main/importing/archiveHandlers';
import { writeSyntheticArchive } from '../../../src-main/eval/headerScanBench';
import type { ArchiveScanEvent, ArchiveScanSummary } from '../../../src-main/shared/contract/archiveApi';
import { createRpcClient, type StreamEnd } from '../../../src-main/shared/rpc/client';
import { createMemoryTransportPair } from '../../../src-main/shared/rpc/memoryTransport';
import { serveContract } from '../../../src-main/shared/rpc/server';
import { daikonVolume, tempDir } from '../dicom/helpers/testData';

const temp = tempDir('archive-handlers');
afterAll(() => temp.cleanup());

function connect(options: ArchiveHandlersOptions) {
  const [serverSide, clientSide] = createMemoryTransportPair();
  serveContract(archiveContract, createArchiveHandlers(options), serverSide);
  return createRpcClient(archiveContract, clientSide);
}

type Client = ReturnType<typeof connect>;

/** Runs a scan to its end; `onEvent` may return true to cancel the stream there. */
function scan(client: Client, root: string, onEvent: (event: ArchiveScanEvent) => boolean = () => false): Promise<{ events: ArchiveScanEvent[]; end: StreamEnd }> {
  const events: ArchiveScanEvent[] = [];
  return new Promise((resolve) => {
    let cancelling = false;
    const subscription = client.listen('archive.scan', { root }, {
      onEvent: (event) => {
        events.push(event);
        if (!cancelling && onEvent(event)) {
          cancelling = true;
          void subscription.cancel();
        }
      },
      onEnd: (end) => resolve({ events, end }),
    });
  });
}

function summaryOf(events: readonly ArchiveScanEvent[]): ArchiveScanSummary {
  const last = events.at(-1);
  if (last?.kind !== 'done') throw new Error(`no done event: ${JSON.stringify(last)}`);
  return last.summary;
}

describe('archive handlers', () => {
  it('streams progress, then a summary listing the corrupt file with its reason', async () => {
    const root = path.join(temp.dir, 'small');
    cpSync(daikonVolume, path.join(root, 'brain'), { recursive: true });
    mkdirSync(path.join(root, 'odd'), { recursive: true });
    writeFileSync(path.join(root, 'odd', 'broken.dcm'), Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from([0x02, 0x00, 0x10, 0x00, 0x55, 0x49, 0xff, 0x7f])]));
    const client = connect({ workspaceDir: path.join(temp.dir, 'ws-small'), progressIntervalMs: 0 });

    const { events, end } = await scan(client, root);
    expect(end.reason).toBe('done');
    expect(events.slice(0, -1).every((event) => event.kind === 'progress')).toBe(true);
    expect(events.some((event) => event.kind === 'progress' && event.phase === 'scanning')).toBe(true);
    const summary = summaryOf(events);
    expect(summary).toMatchObject({ root, cancelled: false, seriesCount: 1, sliceCount: 20, filesRead: summary.filesTotal, resumedFrom: 0, unreadableTotal: 1 });
    expect(summary.unreadable).toEqual([{ path: path.join(root, 'odd', 'broken.dcm'), reason: expect.stringMatching(/^broken\.dcm: /) }]);

    // A second scan reads nothing again: every file is already indexed.
    const again = summaryOf((await scan(client, root)).events);
    expect(again).toMatchObject({ seriesCount: 1, sliceCount: 20, filesRead: 0, resumedFrom: summary.filesTotal, unreadableTotal: 1 });
  });

  it('refuses a relative path or a missing folder', async () => {
    const client = connect({ workspaceDir: path.join(temp.dir, 'ws-refuse') });
    const relative = await scan(client, 'relative/folder');
    expect(relative.end).toMatchObject({ reason: 'failed', error: { code: 'bad-request' } });
    const missing = await scan(client, path.join(temp.dir, 'nowhere'));
    expect(missing.end).toMatchObject({ reason: 'failed', error: { message: expect.stringContaining('Cannot open') } });
  });

  it('cancelling the stream stops the scan; the next scan resumes it', async () => {
    const root = path.join(temp.dir, 'synthetic');
    await writeSyntheticArchive(root, 400, 20);
    const client = connect({ workspaceDir: path.join(temp.dir, 'ws-synthetic'), concurrency: 4, progressIntervalMs: 0 });

    let doneAtCancel = 0;
    const first = await scan(client, root, (event) => {
      if (event.kind !== 'progress' || event.phase !== 'scanning' || event.filesDone < 100) return false;
      doneAtCancel = event.filesDone;
      return true;
    });
    expect(first.end.reason).toBe('cancelled');
    expect(doneAtCancel).toBeGreaterThanOrEqual(100);
    expect(first.events.some((event) => event.kind === 'done')).toBe(false);

    // The cancelled scan may still be journalling its last reads: wait until the folder is free.
    let second = await scan(client, root);
    for (let tries = 0; second.end.reason === 'failed' && /already being scanned/.test(second.end.error?.message ?? '') && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      second = await scan(client, root);
    }
    expect(second.end.reason).toBe('done');
    const summary = summaryOf(second.events);
    expect(summary.cancelled).toBe(false);
    expect(summary.filesTotal).toBe(400);
    expect(summary.resumedFrom).toBeGreaterThanOrEqual(doneAtCancel);
    expect(summary.resumedFrom).toBeLessThan(400);
    expect(summary.filesRead).toBe(400 - summary.resumedFrom);
    expect(summary).toMatchObject({ seriesCount: 20, sliceCount: 400, unreadableTotal: 0 });
  });
});
