/**
 * Autosave timing on fake timers: a save once edits pause, never later than
 * the maximum delay under continuous edits, one save at a time with edits
 * coalesced, retries after a failure, flush and close.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutosaveScheduler, defaultAutosaveTiming } from '../../../src-main/labels/autosaveScheduler';

interface FakeSave {
  readonly startedAt: number[];
  /** Resolves the oldest save still running with `saved`. */
  finish(saved: boolean): void;
  readonly save: () => Promise<boolean>;
}

/** A save that records when it started and ends when the test says so (or at once, with `auto`). */
function fakeSave(auto?: boolean): FakeSave {
  const startedAt: number[] = [];
  const pending: ((saved: boolean) => void)[] = [];
  return {
    startedAt,
    finish: (saved) => pending.shift()?.(saved),
    save: () => {
      startedAt.push(Date.now());
      return auto === undefined ? new Promise<boolean>((resolve) => pending.push(resolve)) : Promise.resolve(auto);
    },
  };
}

let t0 = 0;
beforeEach(() => {
  vi.useFakeTimers();
  t0 = Date.now();
});
afterEach(() => vi.useRealTimers());

const since = (times: readonly number[]): number[] => times.map((time) => time - t0);

describe('autosave scheduler', () => {
  it('uses a 500 ms debounce, a 2 s maximum and a 5 s retry by default', () => {
    expect(defaultAutosaveTiming).toEqual({ debounceMs: 500, maxDelayMs: 2000, retryMs: 5000 });
  });

  it('saves 500 ms after the last edit of a burst', async () => {
    const fake = fakeSave(true);
    const scheduler = new AutosaveScheduler(fake.save);
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(300);
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(499);
    expect(fake.startedAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(since(fake.startedAt)).toEqual([800]);
    expect(scheduler.needsSave).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.startedAt).toHaveLength(1);
  });

  it('saves at most 2 s after the first unsaved edit while edits keep coming', async () => {
    const fake = fakeSave(true);
    const scheduler = new AutosaveScheduler(fake.save);
    for (let ms = 0; ms < 4500; ms += 100) {
      scheduler.markDirty();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(since(fake.startedAt)).toEqual([2000, 4000]);
  });

  it('runs one save at a time and saves edits made during a save with the next one', async () => {
    const fake = fakeSave();
    const scheduler = new AutosaveScheduler(fake.save);
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(500);
    expect(fake.startedAt).toHaveLength(1);
    // Edits during the slow save: no second save may start until it ends.
    for (let i = 0; i < 30; i++) {
      scheduler.markDirty();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(fake.startedAt).toHaveLength(1);
    fake.finish(true);
    await vi.advanceTimersByTimeAsync(0);
    // The edits waited longer than the 2 s maximum already: saved at once.
    expect(since(fake.startedAt)).toEqual([500, 3500]);
    fake.finish(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.startedAt).toHaveLength(2);
    expect(scheduler.needsSave).toBe(false);
  });

  it('retries a failed save after 5 s, or 500 ms after the next edit', async () => {
    const fake = fakeSave();
    const scheduler = new AutosaveScheduler(fake.save);
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(500);
    fake.finish(false);
    await vi.advanceTimersByTimeAsync(4999);
    expect(fake.startedAt).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(since(fake.startedAt)).toEqual([500, 5500]);
    fake.finish(false);
    await vi.advanceTimersByTimeAsync(1000);
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(500);
    expect(since(fake.startedAt)).toEqual([500, 5500, 7000]);
    expect(scheduler.needsSave).toBe(false); // the attempt is running
    fake.finish(true);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(fake.startedAt).toHaveLength(3);
    expect(scheduler.needsSave).toBe(false);
  });

  it('flush waits for the save in flight, then saves what came after it', async () => {
    const fake = fakeSave();
    const scheduler = new AutosaveScheduler(fake.save);
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(500);
    scheduler.markDirty();
    let flushed = false;
    const flush = scheduler.flush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.startedAt).toHaveLength(1);
    fake.finish(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(since(fake.startedAt)).toEqual([500, 500]);
    expect(flushed).toBe(false);
    fake.finish(true);
    await flush;
    expect(scheduler.needsSave).toBe(false);
    // Nothing to save: flush returns without saving.
    await scheduler.flush();
    expect(fake.startedAt).toHaveLength(2);
  });

  it('close saves pending edits at once and schedules nothing afterwards', async () => {
    const fake = fakeSave(true);
    const scheduler = new AutosaveScheduler(fake.save);
    scheduler.markDirty();
    await scheduler.close();
    expect(since(fake.startedAt)).toEqual([0]);
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.startedAt).toHaveLength(1);
  });
});
