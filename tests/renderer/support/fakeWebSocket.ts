/**
 * A scriptable stand-in for the browser WebSocket: the test decides when it
 * opens, what the "server" sends and when it drops. Every instance is kept
 * so a test can look at each connection attempt.
 */
import type { WebSocketLike } from '../../../src-renderer/bridge/webSocketTransport';

type Listener = (event: never) => void;

export class FakeWebSocket implements WebSocketLike {
  static instances: FakeWebSocket[] = [];

  static reset(): void {
    FakeWebSocket.instances = [];
  }

  static latest(): FakeWebSocket {
    const socket = FakeWebSocket.instances.at(-1);
    if (socket === undefined) throw new Error('No socket was created.');
    return socket;
  }

  readyState = 0;
  readonly sent: string[] = [];
  closedWith: { code: number | undefined; reason: string | undefined } | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send() on a socket that is not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    if (this.readyState >= 2) return;
    this.closedWith = { code, reason };
    this.finish(code ?? 1005, reason ?? '');
  }

  /** The wire messages the client sent, parsed. */
  sentMessages(): Array<Record<string, unknown>> {
    return this.sent.map((frame) => JSON.parse(frame) as Record<string, unknown>);
  }

  // What the server side does:
  accept(): void {
    this.readyState = 1;
    this.emit('open', {});
  }

  receive(data: unknown): void {
    this.emit('message', { data });
  }

  receiveMessage(message: unknown): void {
    this.receive(JSON.stringify(message));
  }

  drop(code = 1006, reason = ''): void {
    this.finish(code, reason);
  }

  /** The connection attempt failed: browsers fire error, then close with 1006. */
  refuse(): void {
    this.emit('error', {});
    this.finish(1006, '');
  }

  private finish(code: number, reason: string): void {
    this.readyState = 3;
    this.emit('close', { code, reason });
  }

  private emit(type: string, event: object): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) (listener as (event: object) => void)(event);
  }
}
