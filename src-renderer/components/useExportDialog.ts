/**
 * What the export dialogs (DICOM-SEG, NIfTI) share around their fields: the
 * FormDialog shell they open and close, the last result (cleared when the
 * dialog opens and when an export starts), the destination field that takes
 * its default when the dialog opens with it empty, and the export run: the
 * caller's preparation (edits not yet sent go first), the app call, then
 * the result kept and announced, or the app's message for the shell to show.
 */
import { computed, ref, type Ref } from 'vue';
import type { Result } from '../../src-main/shared/result';
import type FormDialog from './FormDialog.vue';

export interface ExportDialogOptions<R> {
  /** The dialog's FormDialog (its template ref). */
  readonly shell: Ref<InstanceType<typeof FormDialog> | null>;
  /** The destination field (a file or a folder) and what it takes when empty at opening. */
  readonly destination: Ref<string>;
  readonly defaultDestination: () => string;
  /** Runs before the app call, e.g. to send edits not yet sent to the app. */
  readonly beforeExport: () => Promise<void> | undefined;
  readonly exportCall: () => Promise<Result<R>>;
  readonly exported: (result: R) => void;
}

export function useExportDialog<R>(options: ExportDialogOptions<R>) {
  const { shell } = options;
  const result = ref(null) as Ref<R | null>;

  /** Opens the dialog with the last result cleared; an empty destination takes the default. */
  function open(): void {
    result.value = null;
    if (options.destination.value.trim() === '') options.destination.value = options.defaultDestination();
    shell.value?.open();
  }

  function close(): void {
    shell.value?.close();
  }

  /** The shell's action: null when the export succeeded, else the app's message. */
  async function runExport(): Promise<string | null> {
    result.value = null;
    await options.beforeExport();
    const answer = await options.exportCall();
    if (!answer.ok) return answer.error.message;
    result.value = answer.value;
    options.exported(answer.value);
    return null;
  }

  /** The shell's action props, bound with v-bind: the Export button, its busy text, the run, and the result shown once there is one. */
  const exportAction = computed(() => ({
    done: result.value !== null,
    action: 'Export',
    actionClass: 'export',
    busyAction: 'Exporting…',
    run: runExport,
  }));

  return { shell, result, open, close, exportAction };
}
