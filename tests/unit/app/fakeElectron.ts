/**
 * Minimal stand-ins for the Electron objects the app/ modules receive, for
 * tests in plain Node. Only what those modules touch is modelled.
 */
import { EventEmitter } from 'node:events';
import type { FrameLike, SenderEventLike } from '../../../src-main/app/senderCheck';
import type { IpcMainLike, PageContents } from '../../../src-main/app/ipcTransport';

export const appFrame: FrameLike = { url: 'app://macl/index.html', parent: null, processId: 3, routingId: 1 };

export class FakeWebContents extends EventEmitter {
  readonly sent: Array<{ channel: string; message: unknown }> = [];
  mainFrame: FrameLike = appFrame;
  destroyed = false;
  constructor(readonly id = 11) {
    super();
  }
  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Typed view for the code under test. */
  asPage(): PageContents {
    return this as unknown as PageContents;
  }
}

export class FakeIpcMain extends EventEmitter {
  asIpcMain(): IpcMainLike {
    return this as unknown as IpcMainLike;
  }
  /** Delivers `message` on `channel` as if sent from `frame` of web contents `senderId`. */
  deliver(channel: string, message: unknown, frame: FrameLike | null = appFrame, senderId = 11): void {
    const event: SenderEventLike = { sender: { id: senderId }, senderFrame: frame };
    this.emit(channel, event, message);
  }
}
