/**
 * Where PACS passwords and tokens are kept: never in the connections file,
 * the settings or a log. The desktop app injects one backed by the operating
 * system's keychain (Electron safeStorage, src-main/app); the browser host
 * and the CLI use a file in the workspace readable by the user only (0600).
 */
import { chmod, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../workspace/atomicWrite';

export interface SecretStore {
  /** Said in the UI: 'keychain' (encrypted by the OS) or 'workspace-file' (a 0600 file). */
  readonly kind: 'keychain' | 'workspace-file';
  get(key: string): Promise<string | null>;
  set(key: string, secret: string): Promise<void>;
  remove(key: string): Promise<void>;
}

const secretsFileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string()) });

/**
 * A JSON map of key to value in `file`, rewritten atomically with mode 0600.
 * `encode`/`decode` let the keychain store keep only encrypted values.
 */
export function jsonSecretFile(file: string, kind: SecretStore['kind'], codec: { encode(secret: string): string; decode(stored: string): string } = { encode: (s) => s, decode: (s) => s }): SecretStore {
  const read = async (): Promise<Record<string, string>> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (thrown) {
      if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw thrown;
    }
    const parsed = secretsFileSchema.safeParse(JSON.parse(text) as unknown);
    if (!parsed.success) throw new Error(`${file} is not a secrets file of this app; move it away to start again.`);
    return parsed.data.secrets;
  };
  const write = async (secrets: Record<string, string>): Promise<void> => {
    await writeFileAtomic(file, `${JSON.stringify({ version: 1, secrets })}\n`, { mode: 0o600 });
    await chmod(file, 0o600); // the mode of a new file is masked by umask; say it exactly
  };
  return {
    kind,
    async get(key) {
      const stored = (await read())[key];
      return stored === undefined ? null : codec.decode(stored);
    },
    async set(key, secret) {
      await write({ ...(await read()), [key]: codec.encode(secret) });
    },
    async remove(key) {
      const secrets = await read();
      if (!(key in secrets)) return;
      delete secrets[key];
      await write(secrets);
    },
  };
}

/** The browser host's and the CLI's store: `pacs-secrets.json` in the workspace, mode 0600. */
export function workspaceSecretFile(workspaceDir: string): SecretStore {
  return jsonSecretFile(path.join(path.resolve(workspaceDir), 'pacs-secrets.json'), 'workspace-file');
}
