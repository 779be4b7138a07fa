/**
 * Which connection each retrieved series came from (`pacs-origins.json` in
 * the workspace), so "Send DICOM-SEG to PACS" can default to that server.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../workspace/atomicWrite';

const fileSchema = z.object({ version: z.literal(1), origins: z.record(z.string(), z.string()) });

export interface PacsOrigins {
  /** The connection id a series (by Series Instance UID) was retrieved from, or null. */
  of(seriesInstanceUid: string): Promise<string | null>;
  record(seriesInstanceUid: string, connectionId: string): Promise<void>;
}

export function openPacsOrigins(workspaceDir: string): PacsOrigins {
  const file = path.join(path.resolve(workspaceDir), 'pacs-origins.json');
  const read = async (): Promise<Record<string, string>> => {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')) as unknown);
      return parsed.success ? parsed.data.origins : {}; // a damaged file only loses the default server
    } catch {
      return {};
    }
  };
  return {
    async of(seriesInstanceUid) {
      return (await read())[seriesInstanceUid] ?? null;
    },
    async record(seriesInstanceUid, connectionId) {
      const origins = await read();
      if (origins[seriesInstanceUid] === connectionId) return;
      await writeFileAtomic(file, `${JSON.stringify({ version: 1, origins: { ...origins, [seriesInstanceUid]: connectionId } }, null, 2)}\n`);
    },
  };
}
