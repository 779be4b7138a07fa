/**
 * The one place stale slices are dropped: a subscriber of a series' session
 * events never sees a slice or a volume's end of a model version older than
 * one it was already told of, nor anything of work that was cancelled.
 */
import { describe, expect, it } from 'vitest';
import type { SeriesId } from '../../../src-main/shared/contract/series';
import type { SessionEvent } from '../../../src-main/shared/contract/sessionApi';
import { SessionEvents } from '../../../src-main/session/sessionEvents';

const seriesId = 'series-1' as SeriesId;

function setup(): { events: SessionEvents; seen: SessionEvent[] } {
  const events = new SessionEvents(seriesId, { throttleMs: 1000, now: () => 0, log: () => undefined });
  const seen: SessionEvent[] = [];
  events.subscribe((event) => seen.push(event));
  seen.length = 0; // the status sent on subscribe
  return { events, seen };
}

const slice = (modelVersion: number, k: number): Extract<SessionEvent, { kind: 'slice' }> => ({ kind: 'slice', sessionId: 's', modelVersion, k, runs: new Uint8Array(0), labels: [] });
const volumeDone = (modelVersion: number): Extract<SessionEvent, { kind: 'volumeDone' }> => ({ kind: 'volumeDone', sessionId: 's', modelVersion, slices: 3, seconds: 1 });
const versionsSeen = (seen: SessionEvent[]): Array<[string, number]> => seen.flatMap((event) => (event.kind === 'slice' || event.kind === 'volumeDone' ? [[event.kind, event.modelVersion] as [string, number]] : []));

describe('SessionEvents', () => {
  it('drops slices and volume ends of a version older than a newer one seen', () => {
    const { events, seen } = setup();
    expect(events.versioned(slice(1, 0))).toBe(true);
    expect(events.versioned(slice(2, 1))).toBe(true);
    expect(events.versioned(slice(1, 2))).toBe(false);
    expect(events.versioned(volumeDone(1))).toBe(false);
    expect(events.versioned(volumeDone(2))).toBe(true);
    expect(versionsSeen(seen)).toEqual([['slice', 1], ['slice', 2], ['volumeDone', 2]]);
  });

  it('drops what is left of a version once a newer model was made, and everything of cancelled work', () => {
    const { events, seen } = setup();
    events.versioned(slice(3, 0));
    events.newVersion(4);
    expect(events.versioned(slice(3, 1))).toBe(false);
    events.fence(4);
    expect(events.versioned(slice(4, 0))).toBe(false);
    expect(events.versioned(volumeDone(4))).toBe(false);
    expect(events.versioned(slice(5, 0))).toBe(true);
    expect(versionsSeen(seen)).toEqual([['slice', 3], ['slice', 5]]);
  });

  it("clears a trainer note once a newer model version comes, but not a message set since", () => {
    const { events, seen } = setup();
    const messages = () => seen.flatMap((event) => (event.kind === 'status' ? [event.message] : []));
    events.note("The network's version after 40 steps is not shown: it gets only 60% of your thalamus strokes right.");
    expect(events.status.message).toMatch(/not shown/);
    events.newVersion(2);
    expect(events.status.message).toBeNull();
    expect(messages().at(-1)).toBeNull();

    events.note('A new segment (label 3) was painted.');
    events.update({ message: 'The trainer process was restarted.' });
    events.newVersion(3);
    expect(events.status.message).toBe('The trainer process was restarted.');
  });
});
