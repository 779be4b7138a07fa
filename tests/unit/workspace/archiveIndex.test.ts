import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openArchiveIndex } from '../../../src-main/workspace/archiveIndex';

const record = z.object({ uid: z.string() });
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'macl-archive-index-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('archive index (journal + snapshot)', () => {
  it('journals entries, survives a torn last line, and compacts into a snapshot', async () => {
    const index = await openArchiveIndex(dir, '/archive', record);
    await index.append({ path: 'a.dcm', size: 10, mtimeMs: 1, outcome: { kind: 'dicom', record: { uid: '1' } } });
    await index.append({ path: 'b.txt', size: 5, mtimeMs: 2, outcome: { kind: 'not-dicom' } });
    await index.append({ path: 'c.dcm', size: 7, mtimeMs: 3, outcome: { kind: 'refused', reason: 'c.dcm is truncated' } });
    await index.close();
    appendFileSync(path.join(dir, 'journal.jsonl'), '{"path":"d.dcm","size":'); // killed mid-write

    const reopened = await openArchiveIndex(dir, '/archive', record);
    expect([...reopened.entries.keys()]).toEqual(['a.dcm', 'b.txt', 'c.dcm']);
    expect(reopened.loadProblems).toEqual([expect.stringMatching(/line 4: torn or corrupt line skipped/)]);
    expect(reopened.isUnchanged('a.dcm', 10, 1)).toBe(true);
    expect(reopened.isUnchanged('a.dcm', 11, 1)).toBe(false);
    expect(reopened.isUnchanged('a.dcm', 10, 9)).toBe(false);

    await reopened.compact(new Set(['a.dcm', 'c.dcm']));
    expect(readFileSync(path.join(dir, 'journal.jsonl'), 'utf8')).toBe('');
    const snapshot = await openArchiveIndex(dir, '/archive', record);
    expect([...snapshot.entries.keys()]).toEqual(['a.dcm', 'c.dcm']);
    expect(snapshot.loadProblems).toEqual([]);
  });

  it('replays the journal over the snapshot (a crash between the two writes is harmless)', async () => {
    const index = await openArchiveIndex(dir, '/archive', record);
    await index.append({ path: 'a.dcm', size: 1, mtimeMs: 1, outcome: { kind: 'dicom', record: { uid: 'old' } } });
    await index.compact();
    await index.append({ path: 'a.dcm', size: 2, mtimeMs: 2, outcome: { kind: 'dicom', record: { uid: 'new' } } });
    await index.close();
    const reopened = await openArchiveIndex(dir, '/archive', record);
    expect(reopened.entries.get('a.dcm')).toMatchObject({ size: 2, outcome: { record: { uid: 'new' } } });
  });

  it('skips entries that do not match the record schema', async () => {
    appendFileSync(path.join(dir, 'journal.jsonl'), `${JSON.stringify({ path: 'x', size: 1, mtimeMs: 1, outcome: { kind: 'dicom', record: { uid: 5 } } })}\n`);
    const index = await openArchiveIndex(dir, '/archive', record);
    expect(index.entries.size).toBe(0);
    expect(index.loadProblems[0]).toMatch(/invalid entry skipped/);
  });
});
