/**
 * A PACS query as the pre-training archive, against a real Orthanc holding
 * three synthetic CT series of 12 slices, a 3-slice CT localizer and the
 * 20-slice brain MR: headers first (what is used and what is left out),
 * pixels fetched into the bounded cache as the pool loads them (it stays
 * under its limit and evicts), a second run fetching nothing already cached,
 * a server that answers 503 for a moment, a server that stops mid-run, and
 * the check that an instance received is the one asked for.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIo } from '../../../src-main/cli/jobProgress';
import { runPretrainCommand } from '../../../src-main/cli/pretrainCommand';
import { writeSyntheticDicom } from '../../../src-main/eval/syntheticDicom';
import { CancelledError } from '../../../src-main/shared/cancellation';
import { createImportService } from '../../../src-main/importing/importService';
import { openPacsConnections } from '../../../src-main/pacs/pacsConnections';
import { createPacsService } from '../../../src-main/pacs/pacsService';
import { workspaceSecretFile } from '../../../src-main/pacs/secretStore';
import { fetchSeriesPixels, listPacsArchive } from '../../../src-main/pacs/pacsArchive';
import { openPacsArchiveCache, pacsArchiveCacheDir } from '../../../src-main/pacs/pacsArchiveCache';
import { PacsClient } from '../../../src-main/pacs/pacsClient';
import { retrieveSeriesToStore } from '../../../src-main/pacs/pacsRetrieve';
import type { Pretrainer } from '../../../src-main/ml/pretrainer';
import type { PretrainEvent, PretrainParams } from '../../../src-main/shared/contract/trainer/jobSchemas';
import { runPretrainJob } from '../../../src-main/trainer/jobs/pretrainJob';
import { useCpu } from '../ml/helpers';
import { brainFiles } from '../dicom/helpers/testData';
import { tempFolder, writePhantomArchive } from '../trainer/jobs/jobFixtures';
import { startFaultProxy, type FaultProxy } from './helpers/faultProxy';
import { orthancMissing, startOrthanc, type RunningOrthanc } from './helpers/orthanc';

const missing = orthancMissing();
if (missing !== null && process.env.CI === 'true') throw new Error(missing);

const instanceRequest = /\/instances\/[0-9.]+$/;

/** Every file under `dir` (the cache), with its size. */
function cachedFiles(dir: string): { name: string; size: number }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.dcm'))
    .map((name) => ({ name, size: statSync(path.join(dir, name)).size }));
}

describe.skipIf(missing !== null)('a PACS query as the pre-training archive (Orthanc)', () => {
  const temp = tempFolder('pacs-archive');
  let orthanc: RunningOrthanc;
  let proxy: FaultProxy;
  const files: string[] = [];

  beforeAll(async () => {
    await useCpu();
    const archive = path.join(temp.dir, 'archive');
    writePhantomArchive(archive);
    // A localizer: too few slices to pre-train on.
    mkdirSync(path.join(archive, 'scout'), { recursive: true });
    for (let z = 0; z < 3; z++) {
      const bytes = writeSyntheticDicom({
        studyInstanceUid: '1.2.826.0.1.3680043.99.1.0', seriesInstanceUid: '1.2.826.0.1.3680043.99.2.9', sopInstanceUid: `1.2.826.0.1.3680043.99.3.9.${z}`,
        seriesNumber: 9, instanceNumber: z + 1, rows: 64, columns: 64, position: [0, 0, 10 * z], orientation: [[1, 0, 0], [0, 1, 0]], pixelSpacing: [1, 1],
        sliceThickness: 2, rescaleIntercept: -1000, rescaleSlope: 1, pixels: new Int16Array(64 * 64), description: 'SCOUT',
      });
      writeFileSync(path.join(archive, 'scout', `s${z}.dcm`), bytes);
    }
    for (const folder of readdirSync(archive)) for (const name of readdirSync(path.join(archive, folder))) files.push(path.join(archive, folder, name));
    orthanc = await startOrthanc();
    for (const file of [...files, ...brainFiles]) await orthanc.upload(file);
    proxy = await startFaultProxy(orthanc.origin);
  }, 120_000);
  afterAll(async () => {
    await proxy.close();
    await orthanc.close();
    temp.cleanup();
  });

  const endpoint = () => ({ name: 'Test Orthanc', baseUrl: `${proxy.origin}/dicom-web`, auth: { kind: 'none' as const }, certificatePem: null });
  const tiny = (workspaceDir: string, overrides: Partial<PretrainParams> & { cacheBytes?: number } = {}): PretrainParams => {
    const { cacheBytes, ...rest } = overrides;
    return {
      workspaceDir, out: 'pre', steps: 4, size: 64, batch: 4, width: 2, checkpointEvery: 0, poolVolumes: 2, rotateEvery: 2,
      pacs: { endpoint: endpoint(), query: { modality: 'CT' }, cacheBytes: cacheBytes ?? 10_000_000, retryPausesMs: [50, 50] },
      ...rest,
    };
  };
  const run = async (params: PretrainParams, wrap?: (trainer: Pretrainer) => Pretrainer): Promise<{ events: PretrainEvent[]; notes: string[] }> => {
    const events: PretrainEvent[] = [];
    await runPretrainJob(params, { emit: (event) => events.push(event), backend: { kind: 'cpu', device: 'test CPU' }, ...(wrap === undefined ? {} : { wrapPretrainer: wrap }) });
    return { events, notes: events.flatMap((event) => (event.type === 'note' ? [event.message] : [])) };
  };

  it('lists the series from their headers alone: what is used and what is left out', async () => {
    const workspaceDir = path.join(temp.dir, 'ws-list');
    proxy.requests.length = 0;
    const cache = await openPacsArchiveCache(workspaceDir, 1_000_000);
    const listing = await listPacsArchive({ client: new PacsClient(endpoint()), cache }, { modality: 'CT' }, () => undefined);
    expect(listing.unreadable).toEqual([]);
    expect(listing.series.map((series) => [series.seriesInstanceUid, series.sliceCount, series.geometry?.dimensions]).sort()).toEqual([
      ['1.2.826.0.1.3680043.99.2.0', 12, [64, 64, 12]],
      ['1.2.826.0.1.3680043.99.2.1', 12, [64, 64, 12]],
      ['1.2.826.0.1.3680043.99.2.2', 12, [64, 64, 12]],
      ['1.2.826.0.1.3680043.99.2.9', 3, [64, 64, 3]],
    ]);
    // Slices sorted along the normal, each a path in the cache.
    const first = listing.series.find((series) => series.seriesInstanceUid.endsWith('2.0'));
    expect(first?.slices.map((slice) => slice.positionMm)).toEqual(Array.from({ length: 12 }, (_, z) => 2 * z));
    expect(first?.slices[0]?.path).toBe(path.join(pacsArchiveCacheDir(workspaceDir), '1.2.826.0.1.3680043.99.1.0', '1.2.826.0.1.3680043.99.2.0', '1.2.826.0.1.3680043.99.3.0.0.dcm'));
    // No pixels moved.
    expect(proxy.requests.filter((url) => instanceRequest.test(url))).toEqual([]);
    expect(cachedFiles(pacsArchiveCacheDir(workspaceDir))).toEqual([]);
  });

  it('previews the query for the panel through the PACS service: the series used and those left out, no pixels', async () => {
    const workspaceDir = path.join(temp.dir, 'ws-preview');
    const secrets = workspaceSecretFile(workspaceDir);
    const service = createPacsService({ workspaceDir, series: await createImportService({ workspaceDir }), secrets });
    const saved = await service.connections.save({ name: 'Ward PACS', baseUrl: `${proxy.origin}/dicom-web`, authKind: 'none' });
    proxy.requests.length = 0;
    const preview = await service.archivePreview(saved.id, { modality: 'CT' });
    expect(preview.archive).toBe(`Ward PACS (${proxy.origin}/dicom-web), series with modality CT`);
    expect(preview.usable.map((series) => [series.seriesInstanceUid, series.modality, series.slices]).sort()).toEqual([
      ['1.2.826.0.1.3680043.99.2.0', 'CT', 12],
      ['1.2.826.0.1.3680043.99.2.1', 'CT', 12],
      ['1.2.826.0.1.3680043.99.2.2', 'CT', 12],
    ]);
    expect(preview.leftOut).toHaveLength(1);
    expect(preview.leftOut[0]).toMatch(/1\.2\.826\.0\.1\.3680043\.99\.2\.9.*: 3 slices \(fewer than 8\)/);
    expect(proxy.requests.filter((url) => instanceRequest.test(url))).toEqual([]);
    expect((await service.archivePreview(saved.id, { modality: 'MR', description: 'FSE*' })).usable.map((series) => series.slices)).toEqual([20]);
  });

  it('pre-trains from the query, then a second run fetches nothing already cached', async () => {
    const workspaceDir = path.join(temp.dir, 'ws-reuse');
    proxy.requests.length = 0;
    const first = await run(tiny(workspaceDir));
    expect(first.notes).toContain('The PACS archive (Test Orthanc (' + proxy.origin + '/dicom-web), series with modality CT) holds 3 usable series.');
    expect(first.notes.find((note) => note.startsWith('Left out'))).toMatch(/1\.2\.826\.0\.1\.3680043\.99\.2\.9.*: 3 slices \(fewer than 8\)/);
    const done = first.events.find((event) => event.type === 'done');
    expect(done?.type === 'done' && done.model).toMatchObject({ steps: 4, data: { seriesCount: 3 } });
    expect(proxy.requests.filter((url) => instanceRequest.test(url))).toHaveLength(36);
    expect(first.notes.at(-1)).toMatch(/36 instances fetched .* 0 reused from the cache/);
    expect(cachedFiles(pacsArchiveCacheDir(workspaceDir))).toHaveLength(36);

    proxy.requests.length = 0;
    const second = await run(tiny(workspaceDir, { out: 'pre-again' }));
    expect(second.events.some((event) => event.type === 'done')).toBe(true);
    expect(proxy.requests.filter((url) => instanceRequest.test(url))).toEqual([]);
    expect(second.notes.at(-1)).toMatch(/ 0 instances fetched \(0\.0 MB\), 36 reused from the cache/);
  }, 120_000);

  it('keeps the cache under its limit, evicting the least recently used instances', async () => {
    const workspaceDir = path.join(temp.dir, 'ws-small');
    const seriesBytes = files.filter((file) => file.includes('series0')).reduce((sum, file) => sum + statSync(file).size, 0);
    // Room for two of the three series: the third (rotated in at step 2) evicts from the first.
    const limit = Math.round(seriesBytes * 2.5);
    proxy.requests.length = 0;
    const { notes, events } = await run(tiny(workspaceDir, { cacheBytes: limit }));
    const cached = cachedFiles(pacsArchiveCacheDir(workspaceDir));
    expect(cached.reduce((sum, file) => sum + file.size, 0)).toBeLessThanOrEqual(limit);
    // The series fetched first (least recently used) lost instances; the two after it are whole.
    const fetchOrder = events.flatMap((event) => (event.type === 'loading' && event.done === 0 ? [/fetching series ([0-9.]+) from/.exec(event.message)?.[1]] : [])).filter((uid) => uid !== undefined);
    expect(fetchOrder).toHaveLength(3);
    const countOf = (series: string): number => cached.filter((file) => file.name.includes(`${series}${path.sep}`)).length;
    expect(countOf(fetchOrder[0] ?? '')).toBeLessThan(12);
    expect(countOf(fetchOrder[1] ?? '')).toBe(12);
    expect(countOf(fetchOrder[2] ?? '')).toBe(12);
    expect(proxy.requests.filter((url) => instanceRequest.test(url))).toHaveLength(36);
    expect(notes.at(-1)).toMatch(/36 instances fetched/);
    // No temp file of an atomic write is left behind.
    expect(readdirSync(pacsArchiveCacheDir(workspaceDir), { recursive: true }).map(String).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 120_000);

  it('keeps going when the server answers 503 for a moment', async () => {
    const workspaceDir = path.join(temp.dir, 'ws-flaky');
    let refused = 0;
    proxy.fault = (request) => (instanceRequest.test(request.url ?? '') && refused++ < 2 ? { kind: 'status', status: 503, body: '{"Message":"busy"}' } : null);
    try {
      const { events } = await run(tiny(workspaceDir, { steps: 2 }));
      expect(events.some((event) => event.type === 'done')).toBe(true);
      expect(refused).toBeGreaterThan(2);
    } finally {
      proxy.fault = () => null;
    }
  }, 120_000);

  it('cancels while a series is being fetched, as a cancelled job, and a later run completes', async () => {
    const workspaceDir = path.join(temp.dir, 'ws-cancel');
    const controller = new AbortController();
    proxy.fault = (request) => {
      if (!instanceRequest.test(request.url ?? '')) return null;
      controller.abort();
      return { kind: 'hang' };
    };
    try {
      const events: PretrainEvent[] = [];
      const outcome = runPretrainJob(tiny(workspaceDir), { emit: (event) => events.push(event), signal: controller.signal, backend: { kind: 'cpu', device: 'test CPU' } });
      await expect(outcome).rejects.toBeInstanceOf(CancelledError);
      await expect(outcome).rejects.toThrow('Fetching the PACS archive was cancelled');
    } finally {
      proxy.fault = () => null;
    }
    const { events } = await run(tiny(workspaceDir, { steps: 1 }));
    expect(events.some((event) => event.type === 'done')).toBe(true);
  }, 120_000);

  it('refuses an instance that is not the one asked for, in retrieve and in the archive cache', async () => {
    const study = '1.2.826.0.1.3680043.99.1.0';
    const series = '1.2.826.0.1.3680043.99.2.0';
    const asked = '1.2.826.0.1.3680043.99.3.0.0';
    const other = '1.2.826.0.1.3680043.99.3.0.1';
    proxy.fault = (request) => (request.url?.endsWith(`/instances/${asked}`) === true ? { kind: 'redirect', path: `/dicom-web/studies/${study}/series/${series}/instances/${other}` } : null);
    try {
      const client = new PacsClient(endpoint());
      const message = `Test Orthanc (${proxy.origin}/dicom-web): retrieve instance ${asked}: the server sent another instance (SOP Instance UID ${other}) than the one asked for (${asked}); it is not stored.`;
      await expect(client.retrieveInstance({ study, series, sop: asked })).rejects.toThrow(message);

      const workspaceDir = path.join(temp.dir, 'ws-mismatch');
      await expect(retrieveSeriesToStore({ client, workspaceDir, studyInstanceUid: study, seriesInstanceUid: series, concurrency: 1 })).rejects.toThrow(message);
      const folder = path.join(workspaceDir, 'pacs-store', study, series);
      expect(existsSync(folder) ? readdirSync(folder) : []).not.toContain(`${asked}.dcm`);

      const cache = await openPacsArchiveCache(workspaceDir, 10_000_000);
      const listing = await listPacsArchive({ client, cache }, { modality: 'CT' }, () => undefined);
      const target = listing.series.find((entry) => entry.seriesInstanceUid === series);
      if (target === undefined) throw new Error('series not listed');
      await expect(fetchSeriesPixels({ client, cache, concurrency: 1 }, target, { fetchedInstances: 0, fetchedBytes: 0, cachedInstances: 0 })).rejects.toThrow(message);
      expect(cache.has(cache.instancePath({ study, series, sop: asked }))).toBe(false);
    } finally {
      proxy.fault = () => null;
    }
  });

  it('runs the same job from `macl pretrain --pacs NAME --query Q --cache-mb N` on a saved connection', async () => {
    const workspaceDir = path.join(temp.dir, 'ws-cli');
    await openPacsConnections(workspaceDir, workspaceSecretFile(workspaceDir)).save({ name: 'Ward PACS', baseUrl: `${proxy.origin}/dicom-web`, authKind: 'none' });
    const command = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CommandIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
      const code = await runPretrainCommand([...args, '--workspace', workspaceDir], { io, signal: new AbortController().signal });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const small = ['--out', 'cli', '--steps', '2', '--size', '64', '--batch', '4', '--width', '2', '--pool', '2', '--backend', 'cpu'];
    const done = await command(['--pacs', 'Ward PACS', '--query', 'modality=ct&from=1900-01-01', '--cache-mb', '1', ...small]);
    expect(done.code, done.err).toBe(0);
    expect(done.err).toMatch(/The PACS archive \(Ward PACS \(.*\), series with modality CT, study date 1900-01-01 to …\) holds 3 usable series\./);
    expect(done.err).toMatch(/24 instances fetched/);
    expect(cachedFiles(pacsArchiveCacheDir(workspaceDir)).reduce((sum, file) => sum + file.size, 0)).toBeLessThanOrEqual(1024 ** 2);

    expect(await command(['--pacs', 'Elsewhere', '--query', 'modality=CT', ...small])).toMatchObject({ code: 2, err: expect.stringMatching(/--pacs: no saved connection "Elsewhere"/) });
    expect(await command(['--pacs', 'Ward PACS', '--query', 'colour=red', ...small])).toMatchObject({ code: 2, err: expect.stringMatching(/--query: unknown key "colour" \(known: modality, from, to, description\)\./) });
    expect(await command(['--pacs', 'Ward PACS', ...small])).toMatchObject({ code: 2, err: expect.stringMatching(/Give the series to use with --pacs: --query Q/) });
    expect(await command(['--pacs', 'Ward PACS', '--archive', temp.dir, '--query', 'modality=CT', ...small])).toMatchObject({ code: 2, err: expect.stringMatching(/Give one archive/) });
  }, 120_000);

  // Last: it stops Orthanc.
  it('names the server and the step when the server stops mid-run, keeping the steps taken', async () => {
    const workspaceDir = path.join(temp.dir, 'ws-stop');
    let stopped = false;
    const wrap = (trainer: Pretrainer): Pretrainer =>
      new Proxy(trainer, {
        get(target, key, receiver) {
          if (key !== 'trainStep') return Reflect.get(target, key, receiver) as unknown;
          return async (...args: Parameters<Pretrainer['trainStep']>) => {
            const result = await target.trainStep(...args);
            // After the first step the server goes: the rotation at step 2 needs the third series.
            if (!stopped) {
              stopped = true;
              orthanc.crashServer();
            }
            return result;
          };
        },
      });
    const params = tiny(workspaceDir, { steps: 6 });
    const failure = await run(params, wrap).then(() => null, (thrown: unknown) => thrown);
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toContain(`Test Orthanc (${proxy.origin}/dicom-web): retrieve instance 1.2.826.0.1.3680043.99.3.`);
    expect(message).toMatch(/tried 3 times/);
    expect(message).toMatch(/0 of 12 instances of series 1\.2\.826\.0\.1\.3680043\.99\.2\.\d are in the pre-training cache; resuming the job fetches only the rest\./);
    expect(message).toMatch(/The last good checkpoint is kept: "pre" version 1 .*after 2 steps/);
  }, 120_000);
});
