/**
 * Decides whether an IPC message comes from the app's own page: the main
 * frame of our window, showing a document from app://macl. Anything else
 * (an iframe, a page that navigated elsewhere, another window) is refused,
 * whatever the channel, as VS Code's validated ipcMain does.
 *
 * Pure: Electron objects are described by the few properties read here, so
 * the rules are tested in plain Node with fakes.
 */
import type { IpcMainEvent, WebFrameMain } from 'electron';
import { isAppUrl } from './appUrl';

/** The parts of a WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of an IpcMainEvent the check reads. */
export interface SenderEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

/** The window whose page may talk to the main process. */
export interface TrustedPage {
  readonly webContentsId: number;
  /** The window's current main frame (`webContents.mainFrame`). */
  readonly mainFrame: FrameLike | null;
}

export type SenderVerdict = { readonly trusted: true } | { readonly trusted: false; readonly reason: string };

// Compile-time proof that the real Electron types fit the shapes above.
type Assert<T extends true> = T;
export type ElectronTypesFit = Assert<
  WebFrameMain extends FrameLike ? (IpcMainEvent extends SenderEventLike ? true : false) : false
>;

function refuse(reason: string): SenderVerdict {
  return { trusted: false, reason };
}

/** Reads a frame's properties; Electron throws when the frame was disposed meanwhile. */
function describe(frame: FrameLike): { url: string; isTop: boolean; processId: number; routingId: number } | null {
  try {
    return { url: frame.url, isTop: frame.parent === null, processId: frame.processId, routingId: frame.routingId };
  } catch {
    return null;
  }
}

/** Decides whether the sender of `event` is the trusted page. */
export function checkSender(event: SenderEventLike, page: TrustedPage): SenderVerdict {
  if (event.sender.id !== page.webContentsId) return refuse(`message from another web contents (${event.sender.id})`);
  let frame: FrameLike | null;
  try {
    frame = event.senderFrame;
  } catch {
    frame = null;
  }
  if (frame === null) return refuse('the sending frame is gone');
  const sender = describe(frame);
  if (sender === null) return refuse('the sending frame is gone');
  if (!sender.isTop) return refuse(`message from a sub-frame (${sender.url})`);
  const main = page.mainFrame === null ? null : describe(page.mainFrame);
  if (main === null) return refuse('the window has no main frame');
  if (sender.processId !== main.processId || sender.routingId !== main.routingId) {
    return refuse('message from a frame that is not the window\'s main frame');
  }
  if (!isAppUrl(sender.url)) return refuse(`message from a page not on the app origin (${sender.url || 'no URL'})`);
  return { trusted: true };
}
