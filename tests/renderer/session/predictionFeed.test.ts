import { describe, expect, it } from 'vitest';
import { LabelDocument, type LabelChange } from '../../../src-renderer/labels/labelDocument';
import type { LabelGrid } from '../../../src-renderer/labels/labelGrid';
import { PredictionFeed, type Scheduler } from '../../../src-renderer/session/predictionFeed';
import { makeSegment } from '../labels/labelFixtures';
import { sliceRuns } from '../support/fakeSession';

const grid: LabelGrid = { dimensions: [8, 6, 5], spacingMm: [1, 1, 2], originMm: [0, 0, 0], direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] };
const plane = 8 * 6;

/** A slice whose first `count` voxels hold `label`. */
function slice(label: number, count: number): Uint8Array {
  const values = new Uint8Array(plane);
  values.fill(label, 0, count);
  return values;
}

/** A clock and a scheduler the test advances by hand. */
function manualTime(): { now: () => number; schedule: Scheduler; advance: (ms: number) => void } {
  let time = 0;
  let tasks: Array<{ at: number; task: () => void }> = [];
  return {
    now: () => time,
    schedule: (task, ms) => {
      const entry = { at: time + ms, task };
      tasks.push(entry);
      return () => {
        tasks = tasks.filter((candidate) => candidate !== entry);
      };
    },
    advance(ms) {
      time += ms;
      const due = tasks.filter((entry) => entry.at <= time);
      tasks = tasks.filter((entry) => entry.at > time);
      for (const entry of due) entry.task();
    },
  };
}

function setup(): { doc: LabelDocument; feed: PredictionFeed; time: ReturnType<typeof manualTime>; changes: LabelChange[] } {
  const doc = LabelDocument.create(grid);
  const time = manualTime();
  const feed = new PredictionFeed(doc, { intervalMs: 50, now: time.now, schedule: time.schedule });
  const changes: LabelChange[] = [];
  doc.onChange((change) => changes.push(change));
  return { doc, feed, time, changes };
}

describe('PredictionFeed', () => {
  it('shows the first slice at once, then batches the slices of the next 50 ms into one write', () => {
    const { doc, feed, time, changes } = setup();
    time.advance(1000);
    feed.push({ k: 2, modelVersion: 1, runs: sliceRuns(slice(1, 10)) });
    expect(changes).toHaveLength(1);
    expect(changes[0]?.kSlices).toEqual([2]);
    expect(doc.prediction.subarray(2 * plane, 2 * plane + 10).every((value) => value === 1)).toBe(true);

    feed.push({ k: 3, modelVersion: 1, runs: sliceRuns(slice(1, 4)) });
    feed.push({ k: 1, modelVersion: 1, runs: sliceRuns(slice(2, 4)) });
    expect(changes).toHaveLength(1);
    time.advance(50);
    expect(changes).toHaveLength(2);
    expect(changes[1]?.kSlices).toEqual([1, 3]);
    expect(changes[1]?.predictionChanged).toBe(true);
    expect(doc.prediction[plane]).toBe(2);
    expect(feed.versions.summarize(false).counts).toEqual({ fresh: 3, stale: 0, pending: 0, none: 2 });
  });

  it('after an accept, the accepted voxels keep their accepted label in every later version shown; the rest follows the model', () => {
    const { doc, feed, time } = setup();
    doc.setSegments([makeSegment(1)]);
    time.advance(1000);
    feed.push({ k: 2, modelVersion: 1, runs: sliceRuns(slice(1, 10)) });
    expect(doc.acceptPrediction({ kind: 'volume' })).not.toBeNull();
    // A later version that shrank inside the accepted region and grew outside it.
    const next = slice(1, 3);
    next[20] = 1;
    time.advance(1000);
    feed.push({ k: 2, modelVersion: 2, runs: sliceRuns(next) });
    const shown = doc.prediction.subarray(2 * plane, 3 * plane);
    expect([...shown.subarray(0, 10)]).toEqual(new Array(10).fill(1));
    expect(shown[20]).toBe(1);
    expect(shown[15]).toBe(0);
    // Accepting that version again keeps the accepted region as it was.
    doc.acceptPrediction({ kind: 'volume' });
    expect([...doc.accepted.subarray(2 * plane, 2 * plane + 10)]).toEqual(new Array(10).fill(1));
  });

  it('marks slices of a version older than the newest known stale', () => {
    const { feed, time } = setup();
    time.advance(1000);
    feed.push({ k: 0, modelVersion: 2, runs: sliceRuns(slice(1, 5)) });
    feed.noteVersion(3);
    const summary = feed.versions.summarize(true);
    expect(summary.newest).toBe(3);
    expect(summary.statuses).toEqual(['stale', 'pending', 'pending', 'pending', 'pending']);
    expect(summary.shown).toEqual([{ version: 2, slices: 1 }]);
  });

  it('writes the queued slices of each version in one batch, each slice tagged with its own version', () => {
    const { doc, feed, time } = setup();
    time.advance(1000);
    feed.push({ k: 0, modelVersion: 1, runs: sliceRuns(slice(1, 5)) });
    feed.push({ k: 4, modelVersion: 1, runs: sliceRuns(slice(1, 5)) }); // queued
    feed.push({ k: 1, modelVersion: 2, runs: sliceRuns(slice(2, 5)) }); // queued
    time.advance(50);
    expect(doc.prediction[4 * plane]).toBe(1);
    expect(doc.prediction[plane]).toBe(2);
    expect(feed.versions.summarize(false).statuses).toEqual(['stale', 'fresh', 'none', 'none', 'stale']);
    expect(feed.versions.summarize(false).shown).toEqual([{ version: 2, slices: 1 }, { version: 1, slices: 2 }]);
  });

  it('refuses a slice outside the volume or with runs past the slice, naming it', () => {
    const { feed } = setup();
    expect(() => feed.push({ k: 9, modelVersion: 1, runs: sliceRuns(slice(1, 3)) })).toThrow(/Slice 9 of model version 1 is outside/);
    const tooLong = new Uint8Array(plane * 2).fill(1);
    expect(() => feed.push({ k: 1, modelVersion: 1, runs: sliceRuns(tooLong) })).toThrow(/Slice 1 of model version 1 could not be read/);
  });

  it('keeps writing into a reloaded document of the same grid, and stops after dispose', () => {
    const { feed, time } = setup();
    time.advance(1000);
    const reloaded = LabelDocument.create(grid);
    feed.moveTo(reloaded);
    feed.push({ k: 0, modelVersion: 1, runs: sliceRuns(slice(3, 2)) });
    expect(reloaded.prediction[0]).toBe(3);
    expect(() => feed.moveTo(LabelDocument.create({ ...grid, dimensions: [8, 6, 4] }))).toThrow(/another grid/);
    feed.dispose();
    feed.push({ k: 1, modelVersion: 1, runs: sliceRuns(slice(3, 2)) });
    time.advance(100);
    expect(reloaded.prediction[plane]).toBe(0);
  });
});
