/**
 * The status bar's word on the labels: saved, pending, failed, or kept in
 * memory while the app is unreachable, with a sentence to show.
 */
import type { LabelSyncState } from './labelSync';

export type SaveState = 'saved' | 'pending' | 'failed' | 'unsaved-offline';

export interface SaveDescription {
  readonly state: SaveState;
  readonly message: string;
}

/** What to show for a sync state; null when no series' labels are open. */
export function describeSave(sync: LabelSyncState | null): SaveDescription | null {
  if (sync === null) return null;
  const edits = sync.unsavedEdits;
  if (sync.offline && edits > 0) {
    return { state: 'unsaved-offline', message: `Not connected to the app: ${edits === 1 ? '1 label edit is' : `${edits} label edits are`} kept here and will be saved when it reconnects.` };
  }
  if (sync.error !== null) return { state: 'failed', message: `${sync.error} (kept here; retrying).` };
  if (edits > 0 || sync.sending) return { state: 'pending', message: 'Saving labels…' };
  const saved = sync.saved;
  if (saved === null) return { state: 'saved', message: 'Labels loaded.' };
  if (saved.state === 'failed') return { state: 'failed', message: saved.message ?? 'Saving the labels failed; they are kept in memory and saving is retried.' };
  if (saved.state === 'pending') return { state: 'pending', message: 'Saving labels…' };
  return { state: 'saved', message: saved.savedAt === null ? 'Labels saved.' : `Labels saved at ${formatTime(saved.savedAt)}.` };
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
