import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { App, HandlerDetails, WebContents, WindowOpenHandlerResponse } from 'electron';
import { installNavigationGuard } from '../../../src-main/app/navigationGuard';

class FakeContents extends EventEmitter {
  openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  closed = false;
  constructor(private readonly type: string) {
    super();
  }
  getType(): string {
    return this.type;
  }
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }
  close(): void {
    this.closed = true;
  }
}

function navigationEvent(url: string, isMainFrame = true) {
  return { url, isMainFrame, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}

function setup(type = 'window') {
  const app = new EventEmitter();
  const logged: string[] = [];
  installNavigationGuard(app as unknown as Pick<App, 'on'>, (line) => logged.push(line));
  const contents = new FakeContents(type);
  app.emit('web-contents-created', {}, contents as unknown as WebContents);
  return { contents, logged };
}

describe('navigation guard', () => {
  it('allows navigation within app://macl and refuses anything else', () => {
    const { contents, logged } = setup();
    for (const name of ['will-navigate', 'will-redirect']) {
      const inside = navigationEvent('app://macl/index.html');
      contents.emit(name, inside);
      expect(inside.defaultPrevented).toBe(false);
      for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://other/', 'http://127.0.0.1:1/']) {
        const outside = navigationEvent(url);
        contents.emit(name, outside);
        expect(outside.defaultPrevented).toBe(true);
      }
    }
    expect(logged.length).toBe(8);
  });

  it('refuses sub-frame navigations off the app origin', () => {
    const { contents } = setup();
    const frame = navigationEvent('https://example.com/', false);
    contents.emit('will-frame-navigate', frame);
    expect(frame.defaultPrevented).toBe(true);
    const main = navigationEvent('https://example.com/', true);
    contents.emit('will-frame-navigate', main);
    expect(main.defaultPrevented).toBe(false); // will-navigate's job
  });

  it('denies every new window', () => {
    const { contents } = setup();
    expect(contents.openHandler?.({ url: 'app://macl/index.html' } as HandlerDetails)).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'https://example.com' } as HandlerDetails)).toEqual({ action: 'deny' });
  });

  it('refuses to attach webviews and closes any webview guest', () => {
    const { contents } = setup();
    const attach = navigationEvent('');
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
    expect(setup('webview').contents.closed).toBe(true);
  });
});
