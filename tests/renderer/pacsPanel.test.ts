/**
 * The PACS panel over the fake app: adding a connection (the secret goes to
 * the app, where it is kept is said, and it never comes back), searching,
 * opening a study's series, a retrieve with instances, MB/s and time left,
 * Cancel, and sending a DICOM-SEG with the server's answer shown.
 */
import type { VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import PacsPanel from '../../src-renderer/components/PacsPanel.vue';
import { usePacsStore } from '../../src-renderer/stores/pacs';
import type { FakeApp } from './support/fakeApp';
import { mountOverFakeApp } from './support/mountOverFakeApp';

let app: FakeApp;
let wrapper: VueWrapper;

beforeEach(async () => {
  ({ app, wrapper } = await mountOverFakeApp(PacsPanel));
});

afterEach(() => wrapper.unmount());

async function addConnection(): Promise<void> {
  await wrapper.get('[data-testid="pacs-add"]').trigger('click');
  await wrapper.get('[data-testid="pacs-name"]').setValue('Radiology PACS');
  await wrapper.get('[data-testid="pacs-url"]').setValue('https://pacs.example.org/dicom-web');
  await wrapper.get('[data-testid="pacs-auth"]').setValue('basic');
  await wrapper.get('[data-testid="pacs-username"]').setValue('jane');
  await wrapper.get('[data-testid="pacs-secret"]').setValue('s3cret');
  expect(wrapper.get('[data-testid="pacs-secret-where"]').text()).toContain('kept in a file in the workspace that only your user account can read');
  await wrapper.get('[data-testid="pacs-connection-form"]').trigger('submit');
  await vi.waitFor(() => expect(wrapper.find('[data-testid="pacs-connection-form"]').exists()).toBe(false));
}

describe('PacsPanel', () => {
  it('says that the workspace store is the only place pixels are copied', async () => {
    await vi.waitFor(() => expect(wrapper.text()).toContain("Retrieved series are copied into the workspace's store (/ws/pacs-store): the only place this app copies pixels for viewing (pre-training on a PACS query keeps its own size-bounded cache)."));
  });

  it('adds a connection whose secret goes to the app and is never shown again', async () => {
    await addConnection();
    expect(app.pacs.connections).toEqual([expect.objectContaining({ name: 'Radiology PACS', authKind: 'basic', username: 'jane', hasSecret: true })]);
    expect(app.pacs.secrets.get('conn-1')).toBe('s3cret');
    expect(wrapper.get('[data-testid="pacs-connection"]').text()).toContain('Radiology PACS');
    expect(wrapper.html()).not.toContain('s3cret');
  });

  it('searches, opens a study, retrieves a series with progress, and can cancel', async () => {
    await addConnection();
    await wrapper.get('[data-testid="pacs-patient-name"]').setValue('doe');
    await wrapper.get('[data-testid="pacs-search"]').trigger('submit');
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="pacs-study"]')).toHaveLength(1));
    expect(wrapper.get('[data-testid="pacs-study"]').text()).toMatch(/DOE JANE\s+\(P-17\) 2024-01-02\s+CT CT abdomen\s+1 series/);
    await wrapper.get('[data-testid="pacs-study"] button').trigger('click');
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="pacs-series"]')).toHaveLength(1));
    await wrapper.get('[data-testid="pacs-retrieve"]').trigger('click');
    await vi.waitFor(() => expect(app.pacs.retrieves).toHaveLength(1));
    const retrieve = app.pacs.retrieves[0];
    if (retrieve === undefined) throw new Error('no retrieve');
    retrieve.emit({ kind: 'progress', instancesTotal: 300, instancesDone: 120, instancesAlreadyPresent: 20, bytesFetched: 63e6, bytesPerSecond: 9.04e6, etaSeconds: 12.2 });
    await vi.waitFor(() => expect(wrapper.get('[data-testid="pacs-retrieve-progress"]').text()).toMatch(/120 of 300 instances,\s+9\.0 MB\/s,\s+about 13 s left/));
    await wrapper.get('[data-testid="pacs-retrieve-cancel"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.get('[data-testid="pacs-retrieve-run"]').attributes('data-state')).toBe('cancelled'));
    expect(wrapper.text()).toContain('The instances already stored are kept; retrieve again to fetch only the rest.');

    await wrapper.get('[data-testid="pacs-retrieve"]').trigger('click');
    await vi.waitFor(() => expect(app.pacs.retrieves).toHaveLength(2));
    app.pacs.retrieves[1]?.emit({ kind: 'done', series: [], fetched: 180, alreadyPresent: 120, bytesFetched: 94e6, seconds: 10 });
    await vi.waitFor(() => expect(wrapper.get('[data-testid="pacs-retrieve-run"]').text()).toContain('Retrieved: 180 fetched, 120 already in the workspace.'));
    expect(wrapper.find('[data-testid="pacs-in-workspace"]').exists()).toBe(true);
  });

  it('sends a DICOM-SEG and shows what the server accepted, or why it could not', async () => {
    await addConnection();
    await wrapper.get('[data-testid="pacs-send-path"]').setValue('/exports/SEG_1_Liver.dcm');
    await wrapper.get('[data-testid="pacs-send"] form').trigger('submit');
    await vi.waitFor(() => expect(wrapper.get('[data-testid="pacs-message"]').text()).toContain('was not retrieved from a PACS: choose the server to send it to.'));
    await wrapper.get('[data-testid="pacs-send-target"]').setValue('conn-1');
    await wrapper.get('[data-testid="pacs-send"] form').trigger('submit');
    await vi.waitFor(() => expect(wrapper.get('[data-testid="pacs-send-result"]').text()).toContain('conn-1: 1 accepted, 0 failed.'));
    expect(app.pacs.sent).toEqual([{ connectionId: 'conn-1', path: '/exports/SEG_1_Liver.dcm' }]);
  });

  it('opens the send form with the SEG just exported when the Files menu asks', async () => {
    await addConnection();
    const pacs = usePacsStore();
    pacs.noteExportedSeg('/exports/SEG_77_Lesion.dcm');
    pacs.requestSend();
    await vi.waitFor(() => expect((wrapper.get('[data-testid="pacs-send"]').element as HTMLDetailsElement).open).toBe(true));
    expect((wrapper.get('[data-testid="pacs-send-path"]').element as HTMLInputElement).value).toBe('/exports/SEG_77_Lesion.dcm');
  });
});
