import { describe, expect, it } from 'vitest';
import { checkSender, type FrameLike, type SenderEventLike, type TrustedPage } from '../../../src-main/app/senderCheck';

const mainFrame: FrameLike = { url: 'app://macl/index.html', parent: null, processId: 4, routingId: 1 };
const page: TrustedPage = { webContentsId: 7, mainFrame };

function event(frame: FrameLike | null, senderId = 7): SenderEventLike {
  return { sender: { id: senderId }, senderFrame: frame };
}

describe('checkSender', () => {
  it('trusts the window main frame on app://macl', () => {
    expect(checkSender(event({ ...mainFrame }), page)).toEqual({ trusted: true });
    expect(checkSender(event({ ...mainFrame, url: 'app://macl/index.html?x=1#viewer' }), page).trusted).toBe(true);
    expect(checkSender(event({ ...mainFrame, url: 'app://MACL/index.html' }), page).trusted).toBe(true);
  });

  it('refuses another web contents', () => {
    const verdict = checkSender(event({ ...mainFrame }, 8), page);
    expect(verdict).toMatchObject({ trusted: false, reason: expect.stringContaining('another web contents') });
  });

  it('refuses a missing or disposed frame', () => {
    expect(checkSender(event(null), page).trusted).toBe(false);
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed');
      },
      parent: null,
      processId: 4,
      routingId: 1,
    };
    expect(checkSender(event(disposed), page)).toMatchObject({ trusted: false, reason: 'the sending frame is gone' });
    const throwingEvent = {
      sender: { id: 7 },
      get senderFrame(): FrameLike | null {
        throw new Error('disposed');
      },
    };
    expect(checkSender(throwingEvent, page).trusted).toBe(false);
  });

  it('refuses a sub-frame, even on the app origin', () => {
    const child: FrameLike = { url: 'app://macl/frame.html', parent: mainFrame, processId: 4, routingId: 9 };
    expect(checkSender(event(child), page)).toMatchObject({ trusted: false, reason: expect.stringContaining('sub-frame') });
  });

  it('refuses a top frame that is not the window main frame', () => {
    expect(checkSender(event({ ...mainFrame, routingId: 2 }), page).trusted).toBe(false);
    expect(checkSender(event({ ...mainFrame, processId: 5 }), page).trusted).toBe(false);
    expect(checkSender(event({ ...mainFrame }), { webContentsId: 7, mainFrame: null }).trusted).toBe(false);
  });

  it.each([
    'https://macl/index.html',
    'file:///work/dist/renderer/index.html',
    'app://evil/index.html',
    'app://macl.evil.com/index.html',
    'app://macl:8080/index.html',
    'app://user@macl/index.html',
    'about:blank',
    'devtools://devtools/bundled/devtools_app.html',
    'data:text/html,<script>1</script>',
    '',
  ])('refuses a main frame showing %s', (url) => {
    const frame = { ...mainFrame, url };
    expect(checkSender(event(frame), { webContentsId: 7, mainFrame: frame }).trusted).toBe(false);
  });
});
