/**
 * The archive panel over the fake app: a scan started from the path field,
 * its progress with files/s and ETA, Cancel (the stream is cancelled in the
 * app), the summary with unreadable files, and a failed scan.
 */
import type { VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ArchivePanel from '../../src-renderer/components/ArchivePanel.vue';
import { useArchiveStore } from '../../src-renderer/stores/archive';
import { makeArchiveSummary, type FakeApp, type FakeArchiveScan } from './support/fakeApp';
import { mountOverFakeApp } from './support/mountOverFakeApp';

let app: FakeApp;
let wrapper: VueWrapper;

beforeEach(async () => {
  ({ app, wrapper } = await mountOverFakeApp(ArchivePanel));
});

afterEach(() => wrapper.unmount());

async function startScan(root: string): Promise<FakeArchiveScan> {
  await wrapper.get('[data-testid="archive-root"]').setValue(root);
  await wrapper.get('form').trigger('submit');
  await vi.waitFor(() => expect(app.archiveScans).toHaveLength(1));
  const scan = app.archiveScans[0];
  if (scan === undefined) throw new Error('no scan');
  return scan;
}

describe('ArchivePanel', () => {
  it('says what scanned archives are for, and needs a path to scan', () => {
    expect(wrapper.text()).toContain('Scanned archives are used for pre-training');
    expect(wrapper.get('[data-testid="archive-scan"]').attributes('disabled')).toBeDefined();
  });

  it('shows progress with files/s and ETA, then the summary with unreadable files', async () => {
    const scan = await startScan('  /data/archive ');
    expect(scan.root).toBe('/data/archive');
    scan.emit({ kind: 'progress', phase: 'counting', filesSeen: 800, filesDone: 0, filesPerSecond: 0, etaSeconds: null });
    await vi.waitFor(() => expect(wrapper.get('[data-testid="archive-progress"]').text()).toContain('Counting files… 800 files found'));
    scan.emit({ kind: 'progress', phase: 'scanning', filesSeen: 1502, filesDone: 500, filesPerSecond: 250.4, etaSeconds: 124 });
    await vi.waitFor(() => expect(wrapper.get('[data-testid="archive-progress"]').text()).toMatch(/500 of 1,502 files,\s+250 files\/s,\s+about 2 min 4 s left/));
    expect(wrapper.get('[data-testid="archive-scan"]').attributes('disabled')).toBeDefined();

    scan.complete(makeArchiveSummary({ resumedFrom: 300, unreadableTotal: 250 }));
    await vi.waitFor(() => expect(wrapper.find('[data-testid="archive-summary"]').exists()).toBe(true));
    const summary = wrapper.get('[data-testid="archive-summary"]');
    expect(summary.text()).toMatch(/12 series, 1,480 slices\s+from 1,502 files\s+in 4 s\s+\(300 already indexed, not read again\)/);
    const unreadable = wrapper.get('[data-testid="archive-unreadable"]');
    expect(unreadable.get('summary').text()).toBe('250 unreadable files');
    expect(unreadable.text()).toContain('/data/archive/odd/broken.dcm: broken.dcm: not readable as DICOM');
    expect(unreadable.text()).toContain('The first 1 of 250 are listed.');
    expect(wrapper.get('[data-testid="archive-run"]').attributes('data-state')).toBe('done');
  });

  it('Cancel cancels the scan in the app and says how to resume', async () => {
    const scan = await startScan('/data/archive');
    scan.emit({ kind: 'progress', phase: 'scanning', filesSeen: 1000, filesDone: 10, filesPerSecond: 0, etaSeconds: null });
    await vi.waitFor(() => expect(wrapper.get('[data-testid="archive-progress"]').text()).toContain('time left unknown'));
    await wrapper.get('[data-testid="archive-cancel"]').trigger('click');
    await vi.waitFor(() => expect(scan.cancelled()).toBe(true));
    expect(wrapper.get('[data-testid="archive-run"]').attributes('data-state')).toBe('cancelled');
    expect(wrapper.text()).toContain('scan /data/archive again to resume');
    expect(useArchiveStore().lastSummary).toBeNull();
  });

  it('shows why a scan failed', async () => {
    const scan = await startScan('/data/missing');
    scan.fail('Cannot open /data/missing: ENOENT');
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true));
    expect(wrapper.get('[role="alert"]').text()).toContain('Scan failed: Cannot open /data/missing: ENOENT');
    expect(useArchiveStore().scanning).toBe(false);
  });
});
