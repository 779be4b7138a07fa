/**
 * The workspace's list of long jobs (jobs.json), so a pre-training started
 * from the UI is known again after an app restart and can be resumed from
 * its last checkpoint. Written atomically; an unreadable file is reported
 * and set aside (jobs.json.unreadable-<time>), never fatal.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { jobRecordSchema, type JobRecord } from '../shared/contract/jobRecord';
import { writeJsonAtomic } from '../workspace/atomicWrite';

const jobFileSchema = z.object({
  format: z.literal('macl-jobs'),
  formatVersion: z.literal(1),
  jobs: z.array(jobRecordSchema),
});

export const jobFileName = 'jobs.json';

export interface JobStore {
  readonly file: string;
  /** The stored jobs, and a problem met reading them (null when none). */
  load(): Promise<{ jobs: JobRecord[]; problem: string | null }>;
  save(jobs: readonly JobRecord[]): Promise<void>;
}

export function createJobStore(workspaceDir: string): JobStore {
  const file = path.join(workspaceDir, jobFileName);
  return {
    file,
    async load() {
      let text: string;
      try {
        text = await fsp.readFile(file, 'utf8');
      } catch (thrown) {
        if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return { jobs: [], problem: null };
        return { jobs: [], problem: `The job list ${file} could not be read: ${thrown instanceof Error ? thrown.message : String(thrown)}.` };
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        raw = undefined; // Not JSON: damaged like any other mismatch below.
      }
      const parsed = jobFileSchema.safeParse(raw);
      if (parsed.success) return { jobs: parsed.data.jobs, problem: null };
      const kept = `${file}.unreadable-${Date.now()}`;
      await fsp.rename(file, kept).catch(() => undefined);
      return { jobs: [], problem: `The job list ${file} is damaged; it was kept as ${kept} and a new list started.` };
    },
    async save(jobs) {
      await fsp.mkdir(workspaceDir, { recursive: true });
      await writeJsonAtomic(file, { format: 'macl-jobs', formatVersion: 1, jobs });
    },
  };
}
