/**
 * `macl pacs search|retrieve|store` against a real Orthanc: the same code as
 * the app, with JSON output for scripts, secrets from the environment, and
 * exit codes that say what failed.
 */
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runPacsCommand } from '../../../src-main/cli/pacsCommand';
import { brainFiles, tempDir } from '../dicom/helpers/testData';
import { writeAxial } from '../dicom/seg/helpers/segCases';
import { orthancMissing, startOrthanc, type RunningOrthanc } from './helpers/orthanc';

const missing = orthancMissing();
if (missing !== null && process.env.CI === 'true') throw new Error(missing);

/** Runs the command, returning its exit code and what it printed. */
async function macl(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')));
  try {
    return { code: await runPacsCommand(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe.skipIf(missing !== null)('macl pacs', () => {
  const temp = tempDir('pacs-cli');
  let orthanc: RunningOrthanc;
  let server: string[];
  const brainStudy = '0.0.0.0.2.8811.20010413115754.12432';
  const brainSeries = '0.0.0.0.3.8811.2.20010413115754.12432';

  beforeAll(async () => {
    orthanc = await startOrthanc({ username: 'ward', password: 's3cret' });
    for (const file of brainFiles) await orthanc.upload(file);
    server = ['--url', orthanc.dicomWebUrl, '--user', 'ward'];
    vi.stubEnv('MACL_PACS_PASSWORD', 's3cret');
  }, 60_000);
  afterAll(async () => {
    vi.unstubAllEnvs();
    await orthanc.close();
    temp.cleanup();
  });

  it('searches studies and series, and retrieves a series into the workspace', async () => {
    const studies = await macl(['search', ...server, '--patient-id', '123565', '--json']);
    expect(studies.code).toBe(0);
    expect(JSON.parse(studies.out)).toMatchObject({ more: false, studies: [{ studyInstanceUid: brainStudy, instanceCount: 20 }] });
    const series = await macl(['search', ...server, '--study', brainStudy]);
    expect(series.out).toMatch(new RegExp(`^${brainSeries.replaceAll('.', '\\.')}  MR   #2  20 instances  FSE PD AXIAL OBL$`));
    const workspace = path.join(temp.dir, 'ws');
    const retrieved = await macl(['retrieve', ...server, '--study', brainStudy, '--series', brainSeries, '--workspace', workspace, '--json']);
    expect(retrieved.code).toBe(0);
    expect(JSON.parse(retrieved.out)).toMatchObject({ fetched: 20, alreadyPresent: 0, series: [{ slices: 20, description: 'FSE PD AXIAL OBL' }] });
    const again = await macl(['retrieve', ...server, '--study', brainStudy, '--series', brainSeries, '--workspace', workspace, '--json']);
    expect(JSON.parse(again.out)).toMatchObject({ fetched: 0, alreadyPresent: 20 });
  });

  it('stores files with STOW-RS, and they are then found', async () => {
    await writeAxial(path.join(temp.dir, 'axial'));
    const stored = await macl(['store', ...server, path.join(temp.dir, 'axial', 'ax0.dcm'), path.join(temp.dir, 'axial', 'ax1.dcm')]);
    expect(stored).toMatchObject({ code: 0, out: expect.stringMatching(/: 2 accepted, 0 failed$/) });
    const found = await macl(['search', ...server, '--json', '--modality', 'CT']);
    expect((JSON.parse(found.out) as { studies: { instanceCount: number }[] }).studies).toEqual([expect.objectContaining({ instanceCount: 2 })]);
  });

  it('exits with a code and a message naming the server and the step', async () => {
    expect((await macl(['search', ...server, '--json'])).code).toBe(0);
    vi.stubEnv('MACL_PACS_PASSWORD', 'wrong');
    const denied = await macl(['search', ...server]);
    vi.stubEnv('MACL_PACS_PASSWORD', 's3cret');
    expect(denied).toMatchObject({ code: 4, err: expect.stringMatching(/^macl pacs search: 127\.0\.0\.1:\d+ \(http:\/\/127\.0\.0\.1:\d+\/dicom-web\): search studies: the server refused the credentials \(401\)/) });
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await macl(['retrieve', '--url', `http://127.0.0.1:${port}/dicom-web`, '--study', brainStudy, '--series', brainSeries, '--workspace', path.join(temp.dir, 'ws2')]);
    expect(down).toMatchObject({ code: 3, err: expect.stringMatching(/list instances of series .*: the server is not answering \(connection refused\)/) });
    const usage = await macl(['retrieve', ...server, '--study', brainStudy]);
    expect(usage).toMatchObject({ code: 2, err: expect.stringMatching(/^retrieve needs --study UID and --series UID\./) });
    vi.stubEnv('MACL_PACS_PASSWORD', '');
    expect(await macl(['search', ...server])).toMatchObject({ code: 2, err: expect.stringMatching(/^--user needs MACL_PACS_PASSWORD set in the environment\./) });
    vi.stubEnv('MACL_PACS_PASSWORD', 's3cret');
  });
});
