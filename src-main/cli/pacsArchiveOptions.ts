/**
 * `macl pretrain --pacs NAME --query Q [--cache-mb N]`: a PACS query as the
 * pre-training archive. The connection is one saved in the workspace (its
 * secret from the workspace's secret file, as `macl pacs --connection`);
 * the query is written like a URL query, e.g.
 * `modality=MR&from=2001-01-01&to=2001-12-31&description=*AX*`.
 */
import { openPacsConnections } from '../pacs/pacsConnections';
import { PacsError } from '../pacs/pacsError';
import { workspaceSecretFile } from '../pacs/secretStore';
import { pacsArchiveQuerySchema, type PacsArchiveQuery } from '../shared/contract/pacs';
import type { PacsArchiveParams } from '../shared/contract/trainer/jobSchemas';

const queryKeys: Readonly<Record<string, keyof PacsArchiveQuery>> = { modality: 'modality', from: 'studyDateFrom', to: 'studyDateTo', description: 'description' };

/** Parses `--query`; a string is the usage error. */
export function parseArchiveQuery(text: string): PacsArchiveQuery | string {
  const query: Partial<Record<keyof PacsArchiveQuery, string>> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const field = queryKeys[key];
    if (field === undefined) return `--query: unknown key "${key}" (known: ${Object.keys(queryKeys).join(', ')}).`;
    query[field] = key === 'modality' ? value.toUpperCase() : value;
  }
  const parsed = pacsArchiveQuerySchema.safeParse(query);
  if (!parsed.success) return `--query: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}.`;
  return parsed.data;
}

/** The `pacs` job parameters for a saved connection and a query; a string is the usage error. */
export async function pacsArchiveParams(workspaceDir: string, connection: string, queryText: string, cacheMb: number | undefined): Promise<PacsArchiveParams | string> {
  const query = parseArchiveQuery(queryText);
  if (typeof query === 'string') return query;
  const store = openPacsConnections(workspaceDir, workspaceSecretFile(workspaceDir));
  try {
    const match = await store.find(connection);
    if (match === undefined) return `--pacs: no saved connection "${connection}" in ${workspaceDir} (add one in the PACS panel).`;
    return { endpoint: await store.endpoint(match.id), query, ...(cacheMb === undefined ? {} : { cacheBytes: cacheMb * 1024 ** 2 }) };
  } catch (thrown) {
    if (thrown instanceof PacsError) return `--pacs: ${thrown.message}`;
    throw thrown;
  }
}
