/**
 * Saved PACS connections: the password or token goes to the secret store
 * only (never the connections file), the workspace secret file is readable
 * by the user only, an edit without a secret keeps the stored one, removing
 * a connection removes its secret, and bad input is refused with a message
 * (as error codes through the contract handlers).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImportService } from '../../../src-main/importing/importService';
import { openPacsConnections } from '../../../src-main/pacs/pacsConnections';
import { createPacsHandlers } from '../../../src-main/pacs/pacsHandlers';
import { createPacsService } from '../../../src-main/pacs/pacsService';
import { jsonSecretFile, workspaceSecretFile } from '../../../src-main/pacs/secretStore';
import { tempDir } from '../dicom/helpers/testData';

const temp = tempDir('pacs-connections');
afterAll(() => temp.cleanup());

describe('PACS connections', () => {
  it('keeps secrets out of the connections file, in a 0600 file, and hands them to the client', async () => {
    const secrets = workspaceSecretFile(temp.dir);
    const store = openPacsConnections(temp.dir, secrets);
    const saved = await store.save({ name: 'Ward', baseUrl: ' https://pacs.example.org/dicom-web/ ', authKind: 'basic', username: 'jane', secret: 'correct horse' });
    expect(saved).toMatchObject({ name: 'Ward', baseUrl: 'https://pacs.example.org/dicom-web', authKind: 'basic', username: 'jane', hasSecret: true, certificatePem: null });
    expect(readFileSync(path.join(temp.dir, 'pacs-connections.json'), 'utf8')).not.toContain('correct horse');
    const secretFile = path.join(temp.dir, 'pacs-secrets.json');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(await store.endpoint(saved.id)).toEqual({ name: 'Ward', baseUrl: 'https://pacs.example.org/dicom-web', auth: { kind: 'basic', username: 'jane', password: 'correct horse' }, certificatePem: null });

    // An edit without a secret keeps it; switching to a token needs one.
    await store.save({ id: saved.id, name: 'Ward 2', baseUrl: saved.baseUrl, authKind: 'basic' });
    expect((await store.endpoint(saved.id)).auth).toEqual({ kind: 'basic', username: 'jane', password: 'correct horse' });
    await store.save({ id: saved.id, name: 'Ward 2', baseUrl: saved.baseUrl, authKind: 'bearer', secret: 'tok-123' });
    expect((await store.endpoint(saved.id)).auth).toEqual({ kind: 'bearer', token: 'tok-123' });

    await store.remove(saved.id);
    expect(await store.list()).toEqual([]);
    expect(await secrets.get(saved.id)).toBeNull();
  });

  it('refuses bad URLs, a missing user name or secret, and a certificate that is not PEM', async () => {
    const store = openPacsConnections(path.join(temp.dir, 'bad'), workspaceSecretFile(path.join(temp.dir, 'bad')));
    await expect(store.save({ name: 'A', baseUrl: 'pacs.example.org', authKind: 'none' })).rejects.toThrow('"pacs.example.org" is not a URL; a DICOMweb base URL looks like https://pacs.example.org/dicom-web.');
    await expect(store.save({ name: 'A', baseUrl: 'ftp://pacs/dicom-web', authKind: 'none' })).rejects.toThrow('starts with https:// (or http://), not ftp:');
    await expect(store.save({ name: 'A', baseUrl: 'https://jane:pw@pacs/dicom-web', authKind: 'none' })).rejects.toThrow("put the user name and password in the connection's authentication, not in the URL");
    await expect(store.save({ name: 'A', baseUrl: 'https://pacs/dicom-web', authKind: 'basic', secret: 'x' })).rejects.toThrow('A: HTTP basic authentication needs a user name.');
    await expect(store.save({ name: 'A', baseUrl: 'https://pacs/dicom-web', authKind: 'bearer' })).rejects.toThrow('A: give the token.');
    await expect(store.save({ name: 'A', baseUrl: 'https://pacs/dicom-web', authKind: 'none', certificatePem: 'not a certificate' })).rejects.toThrow('A: the certificate must be PEM text');
    await expect(store.endpoint('nope')).rejects.toThrow('No PACS connection nope in this workspace.');
  });

  it('stores only what the keychain codec returns (the desktop app encrypts with safeStorage)', async () => {
    const file = path.join(temp.dir, 'keychain', 'pacs-secrets.keychain.json');
    // Stands in for safeStorage.encryptString / decryptString, which need a running Electron.
    const codec = { encode: (secret: string) => Buffer.from([...secret].reverse().join('')).toString('base64'), decode: (stored: string) => [...Buffer.from(stored, 'base64').toString()].reverse().join('') };
    const store = jsonSecretFile(file, 'keychain', codec);
    await store.set('conn-1', 'plain password');
    expect(readFileSync(file, 'utf8')).not.toContain('plain password');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('conn-1')).toBe('plain password');
  });

  it('answers the app with error codes the UI shows', async () => {
    const workspaceDir = path.join(temp.dir, 'handlers');
    const handlers = createPacsHandlers(createPacsService({ workspaceDir, series: await createImportService({ workspaceDir }), secrets: workspaceSecretFile(workspaceDir) }));
    expect(await handlers.calls['pacs.testConnection']({ id: 'missing' })).toMatchObject({ ok: false, error: { code: 'not-found', message: 'No PACS connection missing in this workspace.' } });
    expect(await handlers.calls['pacs.saveConnection']({ name: 'X', baseUrl: 'nope', authKind: 'none' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const sent = await handlers.calls['pacs.sendSeg']({ connectionId: null, path: '/tmp/SEG.dcm' });
    expect(sent).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'The series of /tmp/SEG.dcm was not retrieved from a PACS: choose the server to send it to.' } });
    const overview = await handlers.calls['pacs.connections']({});
    expect(overview).toMatchObject({ ok: true, value: { connections: [], secretStorage: 'workspace-file', storeFolder: path.join(workspaceDir, 'pacs-store') } });
  });
});
