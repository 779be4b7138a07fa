/**
 * The labels contract served by the label store over the in-memory RPC
 * transport: load, apply, flush, the save status stream, error codes, and
 * NIfTI export/import checked against the NIfTI label map reader.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readNiftiLabelMapOntoGrid, writeNiftiLabelMap } from '../../../src-main/nifti/niftiLabelMap';
import { readNifti, niftiVoxels } from '../../../src-main/nifti/niftiVolume';
import { finalLabels } from '../../../src-main/labels/finalLabels';
import { createLabelHandlers, labelsContract } from '../../../src-main/labels/labelHandlers';
import { createLabelService, type LabelService } from '../../../src-main/labels/labelService';
import type { LabelSaveStatus } from '../../../src-main/shared/contract/labels';
import type { SeriesGeometry, SeriesId } from '../../../src-main/shared/contract/series';
import { applyRuns, decodeRuns } from '../../../src-main/shared/labels/labelRuns';
import { createRpcClient, type RpcClient } from '../../../src-main/shared/rpc/client';
import { createMemoryTransportPair } from '../../../src-main/shared/rpc/memoryTransport';
import { serveContract } from '../../../src-main/shared/rpc/server';
import { change, imageSeriesId, segment, seriesSource, tempWorkspace } from './labelFixtures';

const id = imageSeriesId as SeriesId;
const source = seriesSource([16, 12, 5]);
const geometry = source.summaries[0]?.geometry as SeriesGeometry;
let workspace: ReturnType<typeof tempWorkspace>;
let store: LabelService;
let client: RpcClient<typeof labelsContract>;

beforeEach(() => {
  workspace = tempWorkspace('label-rpc');
  store = createLabelService({ workspaceDir: workspace.dir, series: source });
  const [serverSide, clientSide] = createMemoryTransportPair();
  serveContract(labelsContract, createLabelHandlers(store), serverSide);
  client = createRpcClient(labelsContract, clientSide);
});
afterEach(async () => {
  client.close();
  await store.close();
  workspace.cleanup();
});

function layerOf(runs: Uint8Array): Uint8Array {
  const layer = new Uint8Array(16 * 12 * 5);
  applyRuns(layer, decodeRuns(runs, layer.length));
  return layer;
}

describe('labels over RPC', () => {
  it('loads, applies, flushes and streams the save status', async () => {
    const statuses: LabelSaveStatus[] = [];
    const subscription = client.listen('labels.saveStatus', { seriesId: id }, { onEvent: (status) => statuses.push(status) });
    const loaded = await client.call('labels.load', { seriesId: id });
    expect(loaded.ok && loaded.value.revision).toBe(0);
    const applied = await client.call('labels.apply', { seriesId: id, baseRevision: 0, changes: [change('strokes', [[3, 1]])], segments: [segment(1)] });
    expect(applied).toMatchObject({ ok: true, value: { state: 'pending', revision: 1 } });
    const flushed = await client.call('labels.flush', { seriesId: id });
    expect(flushed).toMatchObject({ ok: true, value: { state: 'saved', savedRevision: 1 } });
    await subscription.cancel();
    expect(statuses.map((status) => status.state)).toEqual(['saved', 'pending', 'saved']);
  });

  it('answers refusals with their codes and messages', async () => {
    await client.call('labels.apply', { seriesId: id, baseRevision: 0, changes: [], segments: [segment(1)] });
    const stale = await client.call('labels.apply', { seriesId: id, baseRevision: 0, changes: [] });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/Reload/) } });
    const bad = await client.call('labels.apply', { seriesId: id, baseRevision: 1, changes: [{ layer: 'strokes', runs: new Uint8Array(3) }] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/Bad runs for the strokes layer/) } });
    const missing = await client.call('labels.load', { seriesId: 'nope' as SeriesId });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const badName = await client.call('labels.exportNifti', { seriesId: id, path: path.join(workspace.dir, 'labels.txt') });
    expect(badName).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/\.nii or \.nii\.gz/) } });
  });

  it('exports the final labels (strokes over accepted) as a NIfTI label map on the series grid', async () => {
    await client.call('labels.apply', {
      seriesId: id,
      baseRevision: 0,
      changes: [change('strokes', [[0, 2], [1, 255], [500, 1]]), change('accepted', [[1, 1], [2, 1], [3, 255], [959, 2]])],
      segments: [segment(1), segment(2)],
    });
    const state = await client.call('labels.load', { seriesId: id });
    if (!state.ok) throw new Error(state.error.message);
    const expected = finalLabels(layerOf(state.value.strokes), layerOf(state.value.accepted));
    const file = path.join(workspace.dir, 'export', 'labels.nii.gz');
    const exported = await client.call('labels.exportNifti', { seriesId: id, path: file });
    expect(exported).toEqual({ ok: true, value: { path: file, voxelsLabelled: 4 } });
    const read = await readNiftiLabelMapOntoGrid(file, geometry);
    expect(read).toEqual(expected);
    expect([read[0], read[1], read[2], read[3], read[500], read[959]]).toEqual([2, 0, 1, 0, 1, 2]);
  });

  it('writes the image beside the labels when asked, on the same grid, in modality units', async () => {
    const voxels = Float32Array.from({ length: 16 * 12 * 5 }, (_, index) => (index % 97) - 1024);
    const [serverSide, clientSide] = createMemoryTransportPair();
    serveContract(labelsContract, createLabelHandlers(store, (seriesId) => Promise.resolve({ seriesId, source: 'dicom', modality: 'CT', geometry, voxels })), serverSide);
    const withImages = createRpcClient(labelsContract, clientSide);
    await withImages.call('labels.apply', { seriesId: id, baseRevision: 0, changes: [change('strokes', [[7, 1]])], segments: [segment(1)] });
    const labelsFile = path.join(workspace.dir, 'out', 'case.nii.gz');
    const imageFile = path.join(workspace.dir, 'out', 'case_image.nii.gz');
    const exported = await withImages.call('labels.exportNifti', { seriesId: id, path: labelsFile, imagePath: imageFile });
    expect(exported).toEqual({ ok: true, value: { path: labelsFile, voxelsLabelled: 1, imagePath: imageFile } });
    expect(niftiVoxels(await readNifti(imageFile))).toEqual(voxels);
    expect((await readNiftiLabelMapOntoGrid(labelsFile, geometry))[7]).toBe(1);
    const same = await withImages.call('labels.exportNifti', { seriesId: id, path: labelsFile, imagePath: labelsFile });
    expect(same).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/cannot both be written/) } });
    // Without a volume source (as in a host that cannot read pixels) the image is refused, not silently skipped.
    const plain = await client.call('labels.exportNifti', { seriesId: id, path: labelsFile, imagePath: imageFile });
    expect(plain).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    withImages.close();
  });

  it('imports a label map into the accepted layer as one revision, adding segments for unknown labels', async () => {
    await client.call('labels.apply', { seriesId: id, baseRevision: 0, changes: [change('strokes', [[4, 1]]), change('accepted', [[5, 1], [6, 1]])], segments: [segment(1, 'Liver')] });
    const map = new Uint8Array(16 * 12 * 5);
    map[6] = 1;
    map[7] = 9;
    map[900] = 3;
    const file = path.join(workspace.dir, 'from-pipeline.nii');
    await writeNiftiLabelMap(file, map, geometry);

    const stale = await client.call('labels.importNifti', { seriesId: id, path: file, baseRevision: 0 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const imported = await client.call('labels.importNifti', { seriesId: id, path: file, baseRevision: 1 });
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.value.revision).toBe(2);
    const accepted = layerOf(imported.value.accepted);
    // Non-zero voxels replace, zeros keep what was accepted; strokes are untouched.
    expect([accepted[5], accepted[6], accepted[7], accepted[900]]).toEqual([1, 1, 9, 3]);
    expect(layerOf(imported.value.strokes)[4]).toBe(1);
    const tissue = { scheme: 'SCT', value: '85756007', meaning: 'Tissue' };
    expect(imported.value.segments.map((s) => [s.label, s.name])).toEqual([
      [1, 'Liver'],
      [3, 'Label 3'],
      [9, 'Label 9'],
    ]);
    expect(imported.value.segments[1]).toMatchObject({ category: tissue, type: tissue, visible: true, locked: false });
    expect(await client.call('labels.flush', { seriesId: id })).toMatchObject({ ok: true, value: { state: 'saved', savedRevision: 2 } });
  });

  it('refuses a label map of another grid or a missing file, changing nothing', async () => {
    const otherGrid: SeriesGeometry = { ...geometry, dimensions: [16, 12, 4] };
    const file = path.join(workspace.dir, 'other-grid.nii.gz');
    await writeNiftiLabelMap(file, new Uint8Array(16 * 12 * 4).fill(1), otherGrid);
    const refused = await client.call('labels.importNifti', { seriesId: id, path: file, baseRevision: 0 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining(file) } });
    const missing = await client.call('labels.importNifti', { seriesId: id, path: path.join(workspace.dir, 'absent.nii'), baseRevision: 0 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const state = await client.call('labels.load', { seriesId: id });
    expect(state).toMatchObject({ ok: true, value: { revision: 0, accepted: new Uint8Array(0) } });
  });
});
