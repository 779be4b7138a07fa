/**
 * The saved DICOMweb connections of a workspace (`pacs-connections.json`,
 * written atomically): name, base URL, kind of authentication, user name and
 * a trusted certificate. Passwords and tokens go to the SecretStore only.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { pacsConnectionSchema, type PacsConnection, type PacsConnectionInput } from '../shared/contract/pacs';
import { writeFileAtomic } from '../workspace/atomicWrite';
import { checkBaseUrl, type PacsEndpoint } from './pacsClient';
import { PacsError } from './pacsError';
import type { SecretStore } from './secretStore';

const storedSchema = pacsConnectionSchema.omit({ hasSecret: true });
type StoredConnection = z.infer<typeof storedSchema>;
const fileSchema = z.object({ version: z.literal(1), connections: z.array(storedSchema) });

const pemPattern = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

export interface PacsConnectionStore {
  list(): Promise<PacsConnection[]>;
  save(input: PacsConnectionInput): Promise<PacsConnection>;
  remove(id: string): Promise<void>;
  /** The connection with its secret, ready for a PacsClient; throws not-found. */
  endpoint(id: string): Promise<PacsEndpoint>;
  /** The saved connection with this name or id (what a command line names), or undefined. */
  find(nameOrId: string): Promise<PacsConnection | undefined>;
}

export function openPacsConnections(workspaceDir: string, secrets: SecretStore): PacsConnectionStore {
  const file = path.join(path.resolve(workspaceDir), 'pacs-connections.json');
  const read = async (): Promise<StoredConnection[]> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (thrown) {
      if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw thrown;
    }
    const parsed = fileSchema.safeParse(JSON.parse(text) as unknown);
    if (!parsed.success) throw new PacsError('bad-request', `${file} is not a connections file of this app (${parsed.error.issues[0]?.message ?? 'wrong shape'}).`);
    return parsed.data.connections;
  };
  const write = (connections: StoredConnection[]): Promise<void> => writeFileAtomic(file, `${JSON.stringify({ version: 1, connections }, null, 2)}\n`);
  const withSecretFlag = async (stored: StoredConnection): Promise<PacsConnection> => ({ ...stored, hasSecret: (await secrets.get(stored.id)) !== null });
  const find = async (id: string): Promise<StoredConnection> => {
    const found = (await read()).find((connection) => connection.id === id);
    if (found === undefined) throw new PacsError('not-found', `No PACS connection ${id} in this workspace.`);
    return found;
  };
  return {
    async list() {
      return Promise.all((await read()).map(withSecretFlag));
    },
    async save(input) {
      const connections = await read();
      const earlier = input.id === undefined ? undefined : connections.find((connection) => connection.id === input.id);
      if (input.id !== undefined && earlier === undefined) throw new PacsError('not-found', `No PACS connection ${input.id} to edit.`);
      const certificate = input.certificatePem === undefined ? (earlier?.certificatePem ?? null) : input.certificatePem;
      if (certificate !== null && !pemPattern.test(certificate)) throw new PacsError('bad-request', `${input.name}: the certificate must be PEM text (-----BEGIN CERTIFICATE----- ...).`);
      const username = input.authKind === 'basic' ? (input.username ?? earlier?.username ?? '').trim() : '';
      if (input.authKind === 'basic' && username === '') throw new PacsError('bad-request', `${input.name}: HTTP basic authentication needs a user name.`);
      const stored: StoredConnection = { id: earlier?.id ?? randomUUID(), name: input.name, baseUrl: checkBaseUrl(input.baseUrl), authKind: input.authKind, username, certificatePem: certificate };
      if (input.authKind === 'none') await secrets.remove(stored.id);
      else if (input.secret !== undefined) await secrets.set(stored.id, input.secret);
      else if ((await secrets.get(stored.id)) === null) throw new PacsError('bad-request', `${input.name}: give the ${input.authKind === 'basic' ? 'password' : 'token'}.`);
      await write(earlier === undefined ? [...connections, stored] : connections.map((connection) => (connection.id === stored.id ? stored : connection)));
      return withSecretFlag(stored);
    },
    async remove(id) {
      const connections = await read();
      if (!connections.some((connection) => connection.id === id)) throw new PacsError('not-found', `No PACS connection ${id} to remove.`);
      await write(connections.filter((connection) => connection.id !== id));
      await secrets.remove(id);
    },
    async find(nameOrId) {
      const found = (await read()).find((connection) => connection.id === nameOrId || connection.name === nameOrId);
      return found === undefined ? undefined : withSecretFlag(found);
    },
    async endpoint(id) {
      const stored = await find(id);
      const secret = stored.authKind === 'none' ? null : await secrets.get(id);
      if (stored.authKind !== 'none' && secret === null) throw new PacsError('denied', `${stored.name}: its ${stored.authKind === 'basic' ? 'password' : 'token'} is not stored; edit the connection to give it again.`);
      const auth = stored.authKind === 'basic' ? { kind: 'basic' as const, username: stored.username, password: secret ?? '' } : stored.authKind === 'bearer' ? { kind: 'bearer' as const, token: secret ?? '' } : { kind: 'none' as const };
      return { name: stored.name, baseUrl: stored.baseUrl, auth, certificatePem: stored.certificatePem };
    },
  };
}
