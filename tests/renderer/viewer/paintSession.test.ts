import { describe, expect, it } from 'vitest';
import { createPaintSession, type PaintableDocument, type PaintContext, type PaintTool, type StrokeStart } from '../../../src-renderer/viewer/paintSession';
import type { PaintPointer } from '../../../src-renderer/viewer/viewerApi';

interface Call {
  readonly kind: string;
  readonly args: unknown[];
}

function fakeDocument(): PaintableDocument & { calls: Call[]; refuse: string | null } {
  const document = {
    calls: [] as Call[],
    refuse: null as string | null,
    beginStroke(options: StrokeStart) {
      if (document.refuse !== null) throw new Error(document.refuse);
      document.calls.push({ kind: 'begin', args: [options] });
    },
    strokeTo(point: readonly number[]) {
      document.calls.push({ kind: 'to', args: [point] });
      return null;
    },
    endStroke() {
      document.calls.push({ kind: 'end', args: [] });
      return null;
    },
    fillContour(point: readonly number[], normal: readonly number[], label: number) {
      if (document.refuse !== null) throw new Error(document.refuse);
      document.calls.push({ kind: 'fill', args: [point, normal, label] });
      return { changed: new Uint32Array(1), kSlices: [3] };
    },
  };
  return document;
}

function setup(tool: PaintTool, overrides: Partial<PaintContext> = {}) {
  const document = fakeDocument();
  const notices: Array<string | null> = [];
  const context: PaintContext = {
    document: () => document,
    tool: () => tool,
    radiusMm: () => 4,
    activeSegment: () => ({ label: 2, name: 'Liver', locked: false }),
    lockedLabels: () => new Set([7]),
    threshold: () => ({ low: -100, high: 200 }),
    intensityAt: () => (index) => index * 10,
    voxelCount: () => 1000,
    notify: (message) => notices.push(message),
    ...overrides,
  };
  return { document, notices, session: createPaintSession(context) };
}

const pointer = (x: number): PaintPointer => ({ plane: 'axial', pointMm: [x, 0, 5], planeNormal: [0, 0, 1], timeStamp: 0 });

describe('createPaintSession', () => {
  it('makes one stroke of a press, its drags and the release, with the active label, radius and plane normal', () => {
    const { document, session } = setup('brush');
    session.press(pointer(1));
    session.drag(pointer(2));
    session.drag(pointer(3));
    session.release();
    expect(document.calls.map((call) => call.kind)).toEqual(['begin', 'to', 'to', 'to', 'end']);
    const options = document.calls[0]?.args[0] as StrokeStart;
    expect(options).toMatchObject({ tool: 'brush', label: 2, radiusMm: 4, planeNormal: [0, 0, 1] });
    expect([...options.lockedLabels]).toEqual([7]);
    expect(document.calls[1]?.args[0]).toEqual([1, 0, 5]);
    expect(session.cursorRadiusMm()).toBe(4);
  });

  it('erases and paints background without needing an active segment', () => {
    for (const [tool, expected] of [['eraser', 'eraser'], ['background', 'background']] as const) {
      const { document, session } = setup(tool, { activeSegment: () => null });
      session.press(pointer(0));
      session.release();
      expect((document.calls[0]?.args[0] as StrokeStart).tool).toBe(expected);
    }
  });

  it('limits the threshold brush to the HU range over the volume intensities', () => {
    const { document, session } = setup('threshold');
    session.press(pointer(0));
    const threshold = (document.calls[0]?.args[0] as StrokeStart).threshold;
    expect(threshold?.low).toBe(-100);
    expect(threshold?.high).toBe(200);
    expect(threshold?.intensity.length).toBe(1000);
    expect(threshold?.intensity[12]).toBe(120);
  });

  it('says why nothing is painted: no segment, a locked segment, a refused stroke', () => {
    const none = setup('brush', { activeSegment: () => null });
    none.session.press(pointer(0));
    expect(none.document.calls).toEqual([]);
    expect(none.notices.at(-1)).toMatch(/Add a segment/);

    const locked = setup('brush', { activeSegment: () => ({ label: 2, name: 'Liver', locked: true }) });
    locked.session.press(pointer(0));
    expect(locked.document.calls).toEqual([]);
    expect(locked.notices.at(-1)).toBe('Liver is locked: unlock it to paint.');

    const refused = setup('brush');
    refused.document.refuse = 'The threshold range 5..1 is empty.';
    refused.session.press(pointer(0));
    refused.session.drag(pointer(1));
    refused.session.release();
    expect(refused.document.calls).toEqual([]);
    expect(refused.notices.at(-1)).toBe('The threshold range 5..1 is empty.');
  });

  it('fills the contour under a press, with no cursor circle, and reports a leaking contour', () => {
    const { document, session, notices } = setup('fill');
    expect(session.cursorRadiusMm()).toBe(0);
    session.press(pointer(4));
    expect(document.calls).toEqual([{ kind: 'fill', args: [[4, 0, 5], [0, 0, 1], 2] }]);
    document.refuse = 'The contour is not closed.';
    session.press(pointer(4));
    expect(notices.at(-1)).toBe('The contour is not closed.');
  });

  it('does nothing while navigating or without a document', () => {
    const navigating = setup('navigate');
    navigating.session.press(pointer(0));
    expect(navigating.document.calls).toEqual([]);
    const empty = setup('brush', { document: () => null });
    empty.session.press(pointer(0));
    empty.session.release();
    expect(empty.notices).toEqual([]);
  });
});
