/**
 * What a user sees when the PACS misbehaves: a server that is down, times
 * out, answers 401/404/500, sends malformed JSON or multipart, drops the
 * connection mid-series, or is stopped mid-retrieve; a self-signed
 * certificate; cancel. Each gives a message naming the server and the step,
 * nothing half-written stays in the store, and a retrieve resumes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacsClient, type PacsEndpoint } from '../../../src-main/pacs/pacsClient';
import { PacsError } from '../../../src-main/pacs/pacsError';
import { retrieveSeriesToStore } from '../../../src-main/pacs/pacsRetrieve';
import { seriesStoreDir } from '../../../src-main/pacs/pacsStoreFolder';
import { brainFiles, tempDir } from '../dicom/helpers/testData';
import { startFaultProxy, type FaultProxy } from './helpers/faultProxy';
import { orthancMissing, startOrthanc, type RunningOrthanc } from './helpers/orthanc';

const missing = orthancMissing();
if (missing !== null && process.env.CI === 'true') throw new Error(missing);

const brainStudy = '0.0.0.0.2.8811.20010413115754.12432';
const brainSeries = '0.0.0.0.3.8811.2.20010413115754.12432';
const query = { limit: '5' };

async function failureOf(promise: Promise<unknown>): Promise<PacsError> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof PacsError) return thrown;
    throw thrown;
  }
  throw new Error('expected a PacsError');
}

const endpoint = (baseUrl: string, extra: Partial<PacsEndpoint> = {}): PacsEndpoint => ({ name: 'Ward PACS', baseUrl, auth: { kind: 'none' }, certificatePem: null, ...extra });

/** Every stored file is a whole instance: a DICOM file Orthanc also holds, byte-identical in size. */
function storedFiles(folder: string): string[] {
  return readdirSync(folder).sort();
}

describe.skipIf(missing !== null)('PACS faults', () => {
  const temp = tempDir('pacs-faults');
  let orthanc: RunningOrthanc;
  let proxy: FaultProxy;

  beforeAll(async () => {
    orthanc = await startOrthanc({ username: 'radiology', password: 'right-password' });
    for (const file of brainFiles) await orthanc.upload(file);
    proxy = await startFaultProxy(orthanc.origin);
  }, 60_000);
  afterAll(async () => {
    await proxy.close();
    await orthanc.close();
    temp.cleanup();
  });
  const basic = { auth: { kind: 'basic' as const, username: 'radiology', password: 'right-password' } };

  it('names the server and the step when the server is down', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await failureOf(new PacsClient(endpoint(`http://127.0.0.1:${port}/dicom-web`)).searchStudies(query));
    expect(failure.code).toBe('unavailable');
    expect(failure.message).toMatch(new RegExp(`^Ward PACS \\(http://127\\.0\\.0\\.1:${port}/dicom-web\\): search studies: the server is not answering \\(connection refused\\)`));
  });

  it('refuses wrong credentials with 401, and works with the right ones', async () => {
    const wrong = await failureOf(new PacsClient(endpoint(`${orthanc.origin}/dicom-web`, { auth: { kind: 'basic', username: 'radiology', password: 'wrong' } })).searchStudies(query));
    expect(wrong.code).toBe('denied');
    expect(wrong.message).toMatch(/search studies: the server refused the credentials \(401\)/);
    const none = await failureOf(new PacsClient(endpoint(`${orthanc.origin}/dicom-web`)).searchStudies(query));
    expect(none.code).toBe('denied');
    const right = await new PacsClient(endpoint(`${orthanc.origin}/dicom-web`, basic)).searchStudies(query);
    expect(right).toHaveLength(1);
  });

  it('reports 404 and 500 with the server reason, and malformed JSON as such', async () => {
    const client = new PacsClient(endpoint(`${proxy.origin}/dicom-web`, basic));
    proxy.fault = () => ({ kind: 'status', status: 500, body: JSON.stringify({ Message: 'Database is locked' }) });
    const server = await failureOf(client.searchSeries(brainStudy, {}));
    expect(server.code).toBe('server');
    expect(server.message).toMatch(/search series of study 0\.0\.0\.0\.2\.8811\.20010413115754\.12432: server error 500\. The server said: Database is locked/);
    proxy.fault = () => ({ kind: 'status', status: 403, body: 'Forbidden for this user' });
    const forbidden = await failureOf(client.searchStudies(query));
    expect(forbidden.code).toBe('denied');
    expect(forbidden.message).toMatch(/search studies: the server does not allow this for these credentials \(403\)\. The server said: Forbidden for this user/);
    proxy.fault = () => ({ kind: 'status', status: 404, body: '' });
    expect((await failureOf(client.searchStudies(query))).message).toMatch(/search studies: not found \(404\)\. Check the DICOMweb base URL/);
    proxy.fault = () => ({ kind: 'body', contentType: 'application/dicom+json', body: '[{"0020000D": {"vr": "UI", "Value": ["1.2' });
    const malformed = await failureOf(client.searchStudies(query));
    expect(malformed.code).toBe('malformed');
    expect(malformed.message).toMatch(/search studies: the answer is not DICOM JSON \(not JSON\)/);
    proxy.fault = () => null;
  });

  it('asks for instances as stored (no transcoding) and sends the credentials', async () => {
    const headers: { accept?: string; authorization?: string }[] = [];
    proxy.fault = (request) => {
      if (request.url?.includes('/instances/') === true) headers.push({ accept: request.headers.accept, authorization: request.headers.authorization });
      return null;
    };
    const client = new PacsClient(endpoint(`${proxy.origin}/dicom-web`, basic));
    const [first] = await client.searchInstances(brainStudy, brainSeries, {});
    const sop = first?.['00080018']?.Value?.[0];
    if (typeof sop !== 'string') throw new Error('no instance listed');
    const bytes = await client.retrieveInstance({ study: brainStudy, series: brainSeries, sop });
    proxy.fault = () => null;
    expect(Buffer.from(bytes.subarray(128, 132)).toString('latin1')).toBe('DICM');
    expect(headers).toEqual([{ accept: 'multipart/related; type="application/dicom"; transfer-syntax=*', authorization: `Basic ${Buffer.from('radiology:right-password').toString('base64')}` }]);
  });

  it('times out a server that never answers', async () => {
    proxy.fault = () => ({ kind: 'hang' });
    const failure = await failureOf(new PacsClient(endpoint(`${proxy.origin}/dicom-web`, { ...basic, idleTimeoutMs: 300 })).searchStudies(query));
    proxy.fault = () => null;
    expect(failure.code).toBe('unavailable');
    expect(failure.message).toMatch(/search studies: no answer for 0 s; the server may be down/);
  });

  it('refuses a malformed multipart instance and stores nothing for it', async () => {
    const workspaceDir = path.join(temp.dir, 'malformed');
    proxy.fault = (request) => (request.url?.includes('/instances/') === true ? { kind: 'body', contentType: 'multipart/related; type="application/dicom"; boundary=xyz', body: 'not a multipart body at all' } : null);
    const client = new PacsClient(endpoint(`${proxy.origin}/dicom-web`, basic));
    const failure = await failureOf(retrieveSeriesToStore({ client, workspaceDir, studyInstanceUid: brainStudy, seriesInstanceUid: brainSeries }));
    proxy.fault = () => null;
    expect(failure.code).toBe('malformed');
    expect(failure.message).toMatch(/retrieve instance [0-9.]+: the answer could not be decoded \(Response message has no multipart mime header\)\. 0 of 20 instances are in the store/);
    const folder = seriesStoreDir(workspaceDir, brainStudy, brainSeries);
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
  });

  it('keeps the complete instances when the connection drops mid-series, and resumes from there', async () => {
    const workspaceDir = path.join(temp.dir, 'truncated');
    let instances = 0;
    proxy.fault = (request) => (request.url?.includes('/instances/') === true && ++instances > 8 ? { kind: 'truncate', bytes: 3000 } : null);
    const client = new PacsClient(endpoint(`${proxy.origin}/dicom-web`, basic));
    const failure = await failureOf(retrieveSeriesToStore({ client, workspaceDir, studyInstanceUid: brainStudy, seriesInstanceUid: brainSeries, concurrency: 1 }));
    proxy.fault = () => null;
    expect(failure.code).toBe('unavailable');
    expect(failure.message).toMatch(/retrieve instance [0-9.]+: the connection dropped before the answer was complete .* 8 of 20 instances are in the store; retrieving again fetches only the rest\./);
    const folder = seriesStoreDir(workspaceDir, brainStudy, brainSeries);
    const kept = storedFiles(folder);
    expect(kept).toHaveLength(8); // no temp file left beside them
    for (const name of kept) expect(readFileSync(path.join(folder, name)).subarray(128, 132).toString('latin1')).toBe('DICM');
    const resumed = await retrieveSeriesToStore({ client, workspaceDir, studyInstanceUid: brainStudy, seriesInstanceUid: brainSeries });
    expect(resumed).toMatchObject({ fetched: 12, alreadyPresent: 8 });
  });

  it('cancels a retrieve, keeping what is complete', async () => {
    const workspaceDir = path.join(temp.dir, 'cancelled');
    const abort = new AbortController();
    const client = new PacsClient(endpoint(`${orthanc.origin}/dicom-web`, basic));
    const failure = await failureOf(
      retrieveSeriesToStore({ client, workspaceDir, studyInstanceUid: brainStudy, seriesInstanceUid: brainSeries, concurrency: 1, signal: abort.signal, onProgress: (progress) => progress.instancesDone >= 3 && abort.abort() }),
    );
    expect(failure.code).toBe('cancelled');
    const kept = storedFiles(seriesStoreDir(workspaceDir, brainStudy, brainSeries));
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBeLessThan(20);
  });

  it('refuses a self-signed certificate with a clear message unless that certificate is added', async () => {
    const dir = path.join(temp.dir, 'tls');
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    const tlsProxy = await startFaultProxy(orthanc.origin, { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert });
    try {
      const refused = await failureOf(new PacsClient(endpoint(`${tlsProxy.origin}/dicom-web`, basic)).searchStudies(query));
      expect(refused.code).toBe('certificate');
      expect(refused.message).toMatch(/search studies: the server's certificate is not trusted \(self-signed certificate\)\. If this server uses a self-signed certificate, add that certificate to the connection explicitly\./);
      const trusted = await new PacsClient(endpoint(`${tlsProxy.origin}/dicom-web`, { ...basic, certificatePem: cert })).searchStudies(query);
      expect(trusted).toHaveLength(1);
    } finally {
      await tlsProxy.close();
    }
  });

  it('says which step failed when Orthanc stops mid-retrieve, leaving only whole files', async () => {
    const workspaceDir = path.join(temp.dir, 'stopped');
    const client = new PacsClient(endpoint(`${orthanc.origin}/dicom-web`, basic));
    let crashed = false;
    const failure = await failureOf(
      retrieveSeriesToStore({
        client, workspaceDir, studyInstanceUid: brainStudy, seriesInstanceUid: brainSeries, concurrency: 1,
        onProgress: (progress) => {
          if (progress.instancesDone < 4 || crashed) return;
          crashed = true;
          orthanc.crashServer();
        },
      }),
    );
    expect(failure.code).toBe('unavailable');
    expect(failure.message).toMatch(/^Ward PACS \(http:\/\/127\.0\.0\.1:\d+\/dicom-web\): retrieve instance [0-9.]+: .* of 20 instances are in the store/);
    const folder = seriesStoreDir(workspaceDir, brainStudy, brainSeries);
    for (const name of storedFiles(folder)) {
      expect(name).toMatch(/^[0-9.]+\.dcm$/);
      expect(readFileSync(path.join(folder, name)).subarray(128, 132).toString('latin1')).toBe('DICM');
    }
  });
});
