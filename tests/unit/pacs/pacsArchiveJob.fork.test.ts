/**
 * A pre-training on a PACS query started as the app starts it: the job
 * service (with the saved connection's secret read from the workspace's
 * secret file as the job starts) runs it in a REAL trainer process (bundled
 * like scripts/build.mjs does, forked, cpu backend), which fetches the
 * series from a real Orthanc with basic authentication into the workspace's
 * cache. The finished model is in the registry; jobs.json holds the
 * connection id and the query, not the password.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPacsConnections } from '../../../src-main/pacs/pacsConnections';
import { pacsArchiveCacheDir } from '../../../src-main/pacs/pacsArchiveCache';
import { workspaceSecretFile } from '../../../src-main/pacs/secretStore';
import { createForkSpawner } from '../../../src-main/services/forkTrainer';
import { createTrainerSupervisor, type TrainerSupervisor } from '../../../src-main/services/trainerSupervisor';
import { createSessionServices, type SessionServices } from '../../../src-main/session/loopServices';
import type { JobRecord } from '../../../src-main/shared/contract/jobRecord';
import { createLabelService, type LabelService } from '../../../src-main/labels/labelService';
import { createImportService } from '../../../src-main/importing/importService';
import { openModelRegistry } from '../../../src-main/workspace/modelRegistry';
import { bundleTrainer } from '../../support/bundleTrainer';
import { tempFolder, writePhantomArchive } from '../trainer/jobs/jobFixtures';
import { orthancMissing, startOrthanc, type RunningOrthanc } from './helpers/orthanc';

const missing = orthancMissing();
if (missing !== null && process.env.CI === 'true') throw new Error(missing);

describe.skipIf(missing !== null)('a PACS-backed pre-training job in the trainer process (Orthanc)', () => {
  const temp = tempFolder('pacs-archive-job');
  const workspaceDir = path.join(temp.dir, 'ws');
  const trainerLog: string[] = [];
  let orthanc: RunningOrthanc;
  let supervisor: TrainerSupervisor;
  let labels: LabelService;
  let loop: SessionServices;
  let outDir = '';

  beforeAll(async () => {
    const archive = path.join(temp.dir, 'archive');
    writePhantomArchive(archive);
    orthanc = await startOrthanc({ username: 'jane', password: 'pa55-secret' });
    for (const folder of readdirSync(archive)) for (const name of readdirSync(path.join(archive, folder))) await orthanc.upload(path.join(archive, folder, name));
    const bundled = await bundleTrainer('test-pacs-archive');
    outDir = bundled.dir;
    supervisor = createTrainerSupervisor({ spawn: createForkSpawner(bundled.trainerPath, { output: (line) => trainerLog.push(line) }), preference: 'cpu' });
    expect((await supervisor.start()).state, trainerLog.join('\n')).toBe('ready');
    labels = createLabelService({ workspaceDir, series: await createImportService({ workspaceDir }) });
    loop = await createSessionServices({ trainer: supervisor, labels, workspaceDir, pacsSecrets: workspaceSecretFile(workspaceDir) });
  }, 180_000);
  afterAll(async () => {
    await loop?.shutdown();
    await supervisor?.dispose();
    await labels?.close();
    await orthanc?.close();
    if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
    temp.cleanup();
  });

  it('runs to done from the query, with the pixels in the cache and no secret in jobs.json', async () => {
    const saved = await openPacsConnections(workspaceDir, workspaceSecretFile(workspaceDir)).save({ name: 'Ward PACS', baseUrl: orthanc.dicomWebUrl, authKind: 'basic', username: 'jane', secret: 'pa55-secret' });
    const finished = new Promise<JobRecord>((resolve) => {
      loop.jobs.onUpdate((record) => {
        if (record.state === 'done' || record.state === 'failed') resolve(record);
      });
    });
    await loop.jobs.startPretrain({ pacs: { connectionId: saved.id, query: { modality: 'CT' }, cacheBytes: 10 * 2 ** 20 }, out: 'pacs-pre', steps: 2, size: 64, batch: 2, width: 2 });
    const record = await finished;
    expect(record.state, `${record.message ?? ''}\n${trainerLog.join('\n')}`).toBe('done');
    const model = (await (await openModelRegistry(workspaceDir)).list()).find((entry) => entry.name === 'pacs-pre');
    expect(model).toMatchObject({ steps: 2, kind: 'pretrained', data: { seriesCount: 3 } });
    expect(model?.data.archiveRoot).toBe(`Ward PACS (${orthanc.dicomWebUrl}), series with modality CT`);
    const cached = readdirSync(pacsArchiveCacheDir(workspaceDir), { recursive: true }).map(String).filter((name) => name.endsWith('.dcm'));
    expect(cached).toHaveLength(36);
    await loop.jobs.saved();
    const jobsFile = readFileSync(path.join(workspaceDir, 'jobs.json'), 'utf8');
    expect(jobsFile).toContain(saved.id);
    expect(jobsFile).not.toContain('pa55-secret');
  }, 300_000);
});
