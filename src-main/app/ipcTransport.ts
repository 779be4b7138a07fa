/**
 * A Transport between the main process and the page of one window, over the
 * single IPC channel the preload uses. Incoming messages are accepted only
 * from that window's main frame on app://macl (senderCheck.ts); the rest are
 * dropped and logged.
 *
 * The transport lives as long as the window's web contents. It also reports
 * when the page behind it changed (a reload, or its renderer process died),
 * so the caller can cancel the streams the old page opened: that page's
 * client is gone and will never cancel them itself.
 *
 * Electron objects are passed in (type-only import), so this runs under
 * plain Node in tests with fakes.
 */
import type { IpcMain, WebContents } from 'electron';
import { bridgeIpcChannel } from '../shared/bridgeApi';
import type { Transport, Unsubscribe } from '../shared/rpc/transport';
import { createTransportListeners } from '../shared/rpc/transportListeners';
import type { WireMessage } from '../shared/rpc/wire';
import { checkSender, type SenderEventLike } from './senderCheck';

export type IpcMainLike = Pick<IpcMain, 'on' | 'removeListener'>;
export type PageContents = Pick<WebContents, 'id' | 'mainFrame' | 'send' | 'isDestroyed' | 'on' | 'removeListener'>;

export interface IpcTransportOptions {
  readonly ipcMain: IpcMainLike;
  readonly contents: PageContents;
  readonly log: (line: string) => void;
}

/** Why the page behind the transport is not the one that opened the current streams. */
export type PageChange = 'navigated' | 'renderer-gone';

export interface PageTransport extends Transport {
  /** Called when the main frame committed a new document or the renderer process died. */
  onPageChange(listener: (change: PageChange) => void): Unsubscribe;
}

export function createIpcTransport(options: IpcTransportOptions): PageTransport {
  const { ipcMain, contents, log } = options;
  const listeners = createTransportListeners();
  const pageListeners = new Set<(change: PageChange) => void>();

  const onIpc = (event: SenderEventLike, ...args: unknown[]): void => {
    if (listeners.closed) return;
    const verdict = checkSender(event, { webContentsId: contents.id, mainFrame: readMainFrame(contents) });
    if (!verdict.trusted) {
      log(`ipc: dropped a message on ${bridgeIpcChannel}: ${verdict.reason}`);
      return;
    }
    if (args.length !== 1) {
      log(`ipc: dropped a message with ${args.length} arguments`);
      return;
    }
    listeners.deliver(args[0]);
  };
  const pageChanged = (change: PageChange): void => {
    for (const listener of [...pageListeners]) listener(change);
  };
  // did-navigate fires for main-frame, cross-document commits only (not for in-page hash changes).
  const onNavigated = (): void => pageChanged('navigated');
  const onGone = (): void => pageChanged('renderer-gone');
  const onDestroyed = (): void => close('window closed');

  function close(reason: string): void {
    if (listeners.closed) return;
    ipcMain.removeListener(bridgeIpcChannel, onIpc);
    contents.removeListener('did-navigate', onNavigated);
    contents.removeListener('render-process-gone', onGone);
    contents.removeListener('destroyed', onDestroyed);
    pageListeners.clear();
    listeners.finish(reason);
  }

  ipcMain.on(bridgeIpcChannel, onIpc);
  contents.on('did-navigate', onNavigated);
  contents.on('render-process-gone', onGone);
  contents.on('destroyed', onDestroyed);

  return {
    send(message: WireMessage) {
      if (listeners.closed || contents.isDestroyed()) return;
      contents.send(bridgeIpcChannel, message);
    },
    onMessage: listeners.onMessage,
    onClose: listeners.onClose,
    onPageChange(listener): Unsubscribe {
      pageListeners.add(listener);
      return () => pageListeners.delete(listener);
    },
    close(reason = 'closed') {
      close(reason);
    },
  };
}

function readMainFrame(contents: PageContents): PageContents['mainFrame'] | null {
  try {
    return contents.isDestroyed() ? null : contents.mainFrame;
  } catch {
    return null;
  }
}
