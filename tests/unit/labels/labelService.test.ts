/**
 * The label store over a real temp workspace: empty start, edits, flush and
 * reopen restoring everything exactly, corrupt files kept aside and
 * reported, series that cannot carry labels, stale temp files, status
 * events, close.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LabelError } from '../../../src-main/labels/labelError';
import { labelFilePath, labelsDirOf } from '../../../src-main/labels/labelPaths';
import { createLabelService, type LabelService } from '../../../src-main/labels/labelService';
import type { LabelSaveStatus } from '../../../src-main/shared/contract/labels';
import { change, imageSeriesId, reportSeriesId, segment, seriesSource, tempWorkspace } from './labelFixtures';

let workspace: ReturnType<typeof tempWorkspace>;
const open: LabelService[] = [];
beforeEach(() => {
  workspace = tempWorkspace('labels');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((service) => service.close()));
  workspace.cleanup();
});

function service(source = seriesSource()): LabelService {
  const created = createLabelService({ workspaceDir: workspace.dir, series: source });
  open.push(created);
  return created;
}

async function refusal(run: Promise<unknown>): Promise<LabelError> {
  const thrown = await run.then(() => null, (error: unknown) => error);
  if (thrown instanceof LabelError) return thrown;
  throw new Error(`expected a LabelError, got ${String(thrown)}`);
}

describe('label service', () => {
  it('starts empty, at revision 0, with nothing on disk', async () => {
    const store = service();
    const state = await store.load(imageSeriesId);
    expect(state).toMatchObject({ seriesId: imageSeriesId, revision: 0, dimensions: [16, 12, 5], segments: [], strokes: new Uint8Array(0), accepted: new Uint8Array(0) });
    expect(await store.status(imageSeriesId)).toMatchObject({ state: 'saved', revision: 0, savedRevision: 0, savedAt: null, message: null });
    expect(existsSync(labelsDirOf(workspace.dir))).toBe(false);
  });

  it('saves on flush and a new store restores strokes, accepted, segments and revision exactly', async () => {
    const first = service();
    const liver = { ...segment(1, 'Liver'), color: '#aa3300', locked: true, visible: false };
    await first.apply(imageSeriesId, { baseRevision: 0, changes: [change('strokes', [[0, 1], [1, 1], [959, 255]]), change('accepted', [[5, 1], [6, 255]])], segments: [liver] });
    const pending = await first.status(imageSeriesId);
    expect(pending).toMatchObject({ state: 'pending', revision: 1, savedRevision: 0 });
    const saved = await first.flush(imageSeriesId);
    expect(saved).toMatchObject({ state: 'saved', revision: 1, savedRevision: 1, message: null });
    expect(saved.savedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const file = labelFilePath(workspace.dir, imageSeriesId);
    expect(readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
    const expected = await first.load(imageSeriesId);
    await first.close();

    const second = service();
    expect(await second.load(imageSeriesId)).toEqual(expected);
    expect((await second.load(imageSeriesId)).segments).toEqual([liver]);
    expect(await second.status(imageSeriesId)).toMatchObject({ state: 'saved', revision: 1, savedRevision: 1, savedAt: saved.savedAt });
  });

  it('refuses unknown series, series without an image grid, and edits on a stale revision', async () => {
    const store = service();
    expect(await refusal(store.load('no-such-series'))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/No series no-such-series/) });
    expect(await refusal(store.load(reportSeriesId))).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/structured report without an image grid: it cannot carry labels/) });
    await store.apply(imageSeriesId, { baseRevision: 0, changes: [], segments: [segment(1)] });
    expect(await refusal(store.apply(imageSeriesId, { baseRevision: 0, changes: [change('strokes', [[3, 1]])] }))).toMatchObject({ code: 'conflict' });
  });

  it('keeps a corrupt file aside, says so once, and then starts empty without touching the copy', async () => {
    const first = service();
    await first.apply(imageSeriesId, { baseRevision: 0, changes: [change('strokes', [[2, 1]])], segments: [segment(1)] });
    await first.close();
    const file = labelFilePath(workspace.dir, imageSeriesId);
    const bytes = readFileSync(file);
    bytes[bytes.length - 50] = (bytes[bytes.length - 50] as number) ^ 1;
    writeFileSync(file, bytes);

    const second = service();
    const error = await refusal(second.load(imageSeriesId));
    expect(error.code).toBe('io');
    expect(error.message).toContain(`The labels file ${file} is corrupt: its checksum does not match`);
    const copy = /kept as (\S+);/.exec(error.message)?.[1] ?? '';
    expect(copy).toMatch(/\.macl-labels\.corrupt-\d{4}-/);
    expect(readFileSync(copy)).toEqual(bytes);
    expect(existsSync(file)).toBe(false);
    expect(await second.load(imageSeriesId)).toMatchObject({ revision: 0, segments: [] });
    await second.apply(imageSeriesId, { baseRevision: 0, changes: [], segments: [segment(4)] });
    await second.flush(imageSeriesId);
    expect(readFileSync(copy)).toEqual(bytes);
  });

  it('refuses a file saved for another grid and leaves it untouched', async () => {
    const first = service(seriesSource([16, 12, 5]));
    await first.apply(imageSeriesId, { baseRevision: 0, changes: [], segments: [segment(1)] });
    await first.close();
    const file = labelFilePath(workspace.dir, imageSeriesId);
    const before = readFileSync(file);
    const second = service(seriesSource([16, 12, 6]));
    expect(await refusal(second.load(imageSeriesId))).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/16x12x5 grid.*16x12x6 grid/) });
    expect(readFileSync(file)).toEqual(before);
  });

  it('removes temp files left by a killed writer, but not those of a running process', async () => {
    const file = labelFilePath(workspace.dir, imageSeriesId);
    mkdirSync(path.dirname(file), { recursive: true });
    const dead = path.join(path.dirname(file), `.${path.basename(file)}.99999999.abcdef.tmp`);
    const alive = path.join(path.dirname(file), `.${path.basename(file)}.${process.ppid}.abcdef.tmp`);
    writeFileSync(dead, 'half a file');
    writeFileSync(alive, 'being written');
    await service().load(imageSeriesId);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(alive)).toBe(true);
  });

  it('streams the current status, then every change', async () => {
    const store = service();
    const seen: LabelSaveStatus[] = [];
    const off = await store.onStatus(imageSeriesId, (status) => seen.push(status));
    await store.apply(imageSeriesId, { baseRevision: 0, changes: [], segments: [segment(1)] });
    await store.flush(imageSeriesId);
    off();
    await store.apply(imageSeriesId, { baseRevision: 1, changes: [], segments: [segment(2)] });
    expect(seen.map(({ state, revision, savedRevision }) => [state, revision, savedRevision])).toEqual([
      ['saved', 0, 0],
      ['pending', 1, 0],
      ['saved', 1, 1],
    ]);
  });

  it('close saves unsaved edits and refuses later ones', async () => {
    const store = service();
    await store.apply(imageSeriesId, { baseRevision: 0, changes: [change('accepted', [[7, 1]])], segments: [segment(1)] });
    await store.close();
    expect(existsSync(labelFilePath(workspace.dir, imageSeriesId))).toBe(true);
    expect(await refusal(store.apply(imageSeriesId, { baseRevision: 1, changes: [] }))).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/closed/) });
    const reopened = service();
    expect((await reopened.load(imageSeriesId)).revision).toBe(1);
  });

  it('autosaves within 2 s of an edit without a flush', async () => {
    const store = service();
    const saved = new Promise<LabelSaveStatus>((resolve) => {
      void store.onStatus(imageSeriesId, (status) => {
        if (status.state === 'saved' && status.savedRevision === 1) resolve(status);
      });
    });
    // Timing is the scheduler test's job (fake timers); this only shows the wiring saves by itself.
    expect(await store.apply(imageSeriesId, { baseRevision: 0, changes: [], segments: [segment(1)] })).toMatchObject({ state: 'pending' });
    await saved;
    expect(existsSync(labelFilePath(workspace.dir, imageSeriesId))).toBe(true);
  });
});
