import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dicomParser from 'dicom-parser';
import { createAppRequestHandler } from '../../../src-main/app/appProtocol';
import { pydicomFile } from '../dicom/helpers/testData';
import { contentSecurityPolicy } from '../../../src-main/shared/contentSecurityPolicy';

const indexHtml = '<!doctype html><title>MACL</title>';
let root: string;
const logged: string[] = [];
let handle: (request: Request) => Promise<Response>;

beforeAll(() => {
  const parent = mkdtempSync(path.join(tmpdir(), 'macl-app-protocol-'));
  root = path.join(parent, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), indexHtml);
  writeFileSync(path.join(root, 'assets/codec.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(path.join(parent, 'secret.txt'), 'not for the page');
  handle = createAppRequestHandler({ rootDir: root, log: (line) => logged.push(line) });
});

afterAll(() => rmSync(path.dirname(root), { recursive: true, force: true }));

function expectSecurityHeaders(response: Response): void {
  expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('app:// request handler', () => {
  it('serves index.html with the CSP', async () => {
    const response = await handle(new Request('app://macl/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expectSecurityHeaders(response);
    expect(await response.text()).toContain('<title>MACL</title>');
  });

  it('serves wasm as application/wasm, byte for byte', async () => {
    const response = await handle(new Request('app://macl/assets/codec.wasm?cache=1'));
    expect(response.headers.get('content-type')).toBe('application/wasm');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  });

  it('answers HEAD without a body', async () => {
    const response = await handle(new Request('app://macl/index.html', { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(indexHtml)));
    expect(await response.text()).toBe('');
  });

  it('refuses other methods, hosts, traversal and missing files, always with the CSP', async () => {
    const post = await handle(new Request('app://macl/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
    expectSecurityHeaders(post);
    const otherHost = await handle(new Request('app://other/index.html'));
    expect(otherHost.status).toBe(403);
    expectSecurityHeaders(otherHost);
    const traversal = await handle(new Request('app://macl/..%2fsecret.txt'));
    expect(traversal.status).toBe(403);
    expect(await traversal.text()).not.toContain('not for the page');
    const missing = await handle(new Request('app://macl/nope.js'));
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing);
    const folder = await handle(new Request('app://macl/assets'));
    expect(folder.status).toBe(404);
    expect(logged.some((line) => line.includes('app://other/index.html'))).toBe(true);
  });
});

describe('app:// series files', () => {
  it('serves only files the workspace index resolves, as application/dicom', async () => {
    const dicomPath = path.join(path.dirname(root), 'slice.dcm');
    writeFileSync(dicomPath, Buffer.from('DICM-bytes'));
    const files = createAppRequestHandler({
      rootDir: root,
      log: () => undefined,
      resolveSeriesFile: (seriesId, index) => (seriesId === '1.2.3#2' && index === 4 ? { path: dicomPath } : null),
    });
    const ok = await files(new Request(`app://macl/files/${encodeURIComponent('1.2.3#2')}/4?frame=1`));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/dicom');
    expectSecurityHeaders(ok);
    expect(await ok.text()).toBe('DICM-bytes');
    expect((await files(new Request('app://macl/files/1.2.3/5'))).status).toBe(404);
    expect((await files(new Request('app://macl/files/..%2Fsecret.txt/0'))).status).toBe(404);
  });

  it('serves a 12-bit JPEG slice decoded, as native explicit VR little endian (the viewer\'s codec misreads it)', async () => {
    const files = createAppRequestHandler({ rootDir: root, log: () => undefined, resolveSeriesFile: () => ({ path: pydicomFile('JPGExtended.dcm') }) });
    const response = await files(new Request('app://macl/files/1.2.3/0'));
    expect(response.status).toBe(200);
    const dataSet = dicomParser.parseDicom(new Uint8Array(await response.arrayBuffer()));
    expect(dataSet.string('x00020010')).toBe('1.2.840.10008.1.2.1');
    expect(dataSet.elements.x7fe00010?.length).toBe((dataSet.uint16('x00280010') ?? 0) * (dataSet.uint16('x00280011') ?? 0) * 2);
  });
});
