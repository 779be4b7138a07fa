/**
 * The order of work of an interactive session (LoopSchedule), driven by a
 * scripted user without tensors: versions come every `versionEverySteps`
 * steps while strokes keep arriving, new strokes join the running burst
 * (no burst is dropped), the slices around the focus are inferred at once
 * and the rest come between training steps (one batch every stepsPerBatch
 * steps), oldest version first.
 */
import { describe, expect, it } from 'vitest';
import { LoopSchedule, type LoopAction } from '../../../../src-main/trainer/jobs/interactiveSchedule';

interface Driven {
  readonly trail: string[];
  readonly schedule: LoopSchedule;
  /** Runs actions until idle or `limit`; `before(i)` may add labels or move the focus before action i. */
  run(limit: number, before?: (i: number, schedule: LoopSchedule) => void): void;
}

/** A loop that executes the schedule's actions and writes them down ('fold', 'step', 'v2', 'infer 3,4'). */
function drive(options: { depth: number; burstSteps: number; versionEverySteps: number; inferBatch: number; quickForest?: boolean; stepsPerBatch?: number }): Driven {
  const schedule = new LoopSchedule(options);
  const trail: string[] = [];
  let version = 0;
  const execute = (action: LoopAction): void => {
    if (action.kind === 'fold') {
      schedule.folded(true);
      trail.push('fold');
    } else if (action.kind === 'forest') {
      version += 1;
      schedule.forestAnswered(version);
      trail.push(`forest v${version}`);
    } else if (action.kind === 'train') {
      schedule.trained();
      trail.push('step');
    } else if (action.kind === 'version') {
      version += 1;
      schedule.versioned(version);
      trail.push(`v${version}`);
    } else if (action.kind === 'infer') {
      schedule.inferred(action.slices);
      trail.push(`infer ${action.slices.join(',')}`);
    }
  };
  return {
    trail,
    schedule,
    run(limit, before) {
      for (let i = 0; i < limit; i++) {
        before?.(i, schedule);
        const action = schedule.next();
        if (action.kind === 'idle') return;
        execute(action);
      }
    },
  };
}

describe('LoopSchedule', () => {
  it('after one edit: a burst, a version at each cadence, the focus batch at once, the rest between steps, then the whole volume', () => {
    const loop = drive({ depth: 6, burstSteps: 4, versionEverySteps: 2, inferBatch: 2 });
    loop.schedule.setFocus(2);
    loop.schedule.labelsChanged();
    loop.run(100);
    expect(loop.trail).toEqual([
      'fold', 'step', 'step',
      'v1', 'infer 2,3', 'step', 'infer 1,4', 'step',
      'v2', 'infer 2,3', 'infer 0,5', 'infer 1,4',
    ]);
    expect(loop.schedule.volumeDone).toBe(true);
  });

  it('while a burst runs, a batch away from the focus every stepsPerBatch steps; the focus batch at once; without pause once the burst is over', () => {
    const loop = drive({ depth: 12, burstSteps: 10, versionEverySteps: 5, inferBatch: 2, stepsPerBatch: 2 });
    loop.schedule.setFocus(5);
    loop.schedule.labelsChanged();
    loop.run(100);
    expect(loop.trail).toEqual([
      'fold', 'step', 'step', 'step', 'step', 'step',
      'v1', 'infer 5,6', 'step', 'step', 'infer 4,7', 'step', 'step', 'infer 3,8', 'step',
      // The slices no version reached yet first, then the oldest.
      'v2', 'infer 5,6', 'infer 2,9', 'infer 1,10', 'infer 0,11', 'infer 4,7', 'infer 3,8',
    ]);
  });

  it('never spaces the batches away from the focus as far as the cadence: each version still gets one while painting goes on', () => {
    const loop = drive({ depth: 12, burstSteps: 8, versionEverySteps: 2, inferBatch: 2, stepsPerBatch: 4 });
    loop.schedule.setFocus(5);
    loop.schedule.labelsChanged();
    loop.run(9);
    expect(loop.trail).toEqual(['fold', 'step', 'step', 'v1', 'infer 5,6', 'step', 'infer 4,7', 'step', 'v2']);
  });

  it('while strokes arrive every few steps, folds them into the running burst and still hands out a version every cadence', () => {
    const loop = drive({ depth: 40, burstSteps: 6, versionEverySteps: 3, inferBatch: 4 });
    loop.schedule.labelsChanged();
    // A pen-up before every third action, for 60 actions: the user never stops painting.
    loop.run(60, (i, schedule) => {
      if (i % 3 === 2) schedule.labelsChanged();
    });
    const steps = loop.trail.filter((entry) => entry === 'step').length;
    const versions = loop.trail.filter((entry) => /^v\d+$/.test(entry));
    expect(steps).toBeGreaterThan(0);
    // Cadence by step count: exactly one version per 3 steps, none dropped for the new strokes.
    expect(steps - 3 * versions.length).toBeGreaterThanOrEqual(0);
    expect(steps - 3 * versions.length).toBeLessThanOrEqual(3);
    let sinceVersion = 0;
    for (const entry of loop.trail) {
      if (entry === 'step') sinceVersion += 1;
      if (/^v\d+$/.test(entry)) {
        expect(sinceVersion).toBe(3);
        sinceVersion = 0;
      }
    }
    // Each version's first batch is the focus neighbourhood (focus 0 here), before any further step.
    const work = loop.trail.filter((entry) => entry !== 'fold');
    work.forEach((entry, i) => {
      if (/^v\d+$/.test(entry) && i + 1 < work.length) expect(work[i + 1]).toBe('infer 0,1,2,3');
    });
    // The burst never ran out while strokes kept coming.
    expect(loop.schedule.training).toBe(true);
  });

  it('refreshes the whole volume in turn while painting goes on: the slices showing the oldest version come first', () => {
    const loop = drive({ depth: 20, burstSteps: 4, versionEverySteps: 2, inferBatch: 2 });
    loop.schedule.setFocus(10);
    loop.schedule.labelsChanged();
    loop.run(200, (i, schedule) => {
      if (i % 4 === 3) schedule.labelsChanged();
    });
    const inferred = new Set(loop.trail.filter((entry) => entry.startsWith('infer ')).flatMap((entry) => entry.slice(6).split(',').map(Number)));
    expect(inferred.size).toBe(20);
  });

  it('after the last stroke the burst runs its full budget from that stroke, then infers the final version everywhere', () => {
    const loop = drive({ depth: 4, burstSteps: 3, versionEverySteps: 10, inferBatch: 4 });
    loop.schedule.labelsChanged();
    loop.run(100, (i, schedule) => {
      if (i === 2) schedule.labelsChanged(); // after fold and one step
    });
    expect(loop.trail).toEqual(['fold', 'step', 'fold', 'step', 'step', 'step', 'v1', 'infer 0,1,2,3']);
  });

  it('a focus change puts the new focus first in the next batch', () => {
    const loop = drive({ depth: 10, burstSteps: 1, versionEverySteps: 1, inferBatch: 2 });
    loop.schedule.labelsChanged();
    loop.run(100, (i, schedule) => {
      if (i === 4) schedule.setFocus(8);
    });
    expect(loop.trail).toEqual(['fold', 'step', 'v1', 'infer 0,1', 'infer 8,9', 'infer 7,6', 'infer 5,4', 'infer 3,2']);
  });

  it('cancel drops the burst and the rest of the inference until the next edit; a warm model is versioned without training', () => {
    const loop = drive({ depth: 4, burstSteps: 5, versionEverySteps: 2, inferBatch: 1 });
    loop.schedule.labelsChanged();
    loop.run(5);
    expect(loop.trail).toEqual(['fold', 'step', 'step', 'v1', 'infer 0']);
    loop.schedule.cancel();
    expect(loop.schedule.next()).toEqual({ kind: 'idle' });
    loop.schedule.wantVersion();
    loop.run(100);
    expect(loop.trail.slice(5)).toEqual(['v2', 'infer 0', 'infer 1', 'infer 2', 'infer 3']);
  });

  it('with nothing labelled, a fold ends the burst', () => {
    const loop = drive({ depth: 4, burstSteps: 5, versionEverySteps: 2, inferBatch: 1 });
    loop.schedule.labelsChanged();
    expect(loop.schedule.next()).toEqual({ kind: 'fold' });
    loop.schedule.folded(false);
    expect(loop.schedule.next()).toEqual({ kind: 'idle' });
  });

  it('a due quick answer makes a version before the cadence', () => {
    const schedule = new LoopSchedule({ depth: 2, burstSteps: 10, versionEverySteps: 5, inferBatch: 2 });
    schedule.labelsChanged();
    schedule.folded(true);
    expect(schedule.next(true)).toEqual({ kind: 'train' }); // no step yet: nothing new to show
    schedule.trained();
    expect(schedule.next(false)).toEqual({ kind: 'train' });
    expect(schedule.next(true)).toEqual({ kind: 'version' });
  });

  describe('with the quick answer of the pixel classifier', () => {
    it('answers the first edit with a forest version, focus first, holds the network\'s cadence versions back, and the burst\'s last version replaces it everywhere', () => {
      const loop = drive({ depth: 6, burstSteps: 4, versionEverySteps: 2, inferBatch: 2, quickForest: true });
      loop.schedule.setFocus(2);
      loop.schedule.labelsChanged();
      loop.run(100);
      // The forest's whole volume first (focus batch first), then the network trains.
      expect(loop.trail.slice(0, 6)).toEqual(['fold', 'forest v1', 'infer 2,3', 'infer 1,4', 'infer 0,5', 'step']);
      // No version at the cadence (every 2 steps): the network's first is the burst's end, after all 4 steps.
      const network = loop.trail.indexOf('v2');
      expect(loop.trail.slice(0, network).filter((t) => t === 'step')).toHaveLength(4);
      expect(loop.trail.at(-1)).toMatch(/^infer/);
      expect(loop.trail).not.toContain('v3');
      expect(loop.schedule.volumeDone).toBe(true);
      expect(loop.trail.filter((t) => t.startsWith('forest'))).toEqual(['forest v1']);
    });

    it('answers edits with the forest until a burst has ended, then no more; again after networkBehind (a new class, a reset)', () => {
      const loop = drive({ depth: 6, burstSteps: 4, versionEverySteps: 2, inferBatch: 2, quickForest: true });
      loop.schedule.labelsChanged();
      // A second edit in the middle of the first burst: the network has not caught up, the forest answers again.
      loop.run(100, (i, schedule) => {
        if (i === 5) schedule.labelsChanged();
      });
      expect(loop.trail.filter((t) => t.startsWith('forest'))).toHaveLength(2);
      loop.trail.length = 0;
      loop.schedule.labelsChanged();
      loop.run(100);
      expect(loop.trail.some((t) => t.startsWith('forest'))).toBe(false);
      loop.trail.length = 0;
      loop.schedule.networkBehind();
      loop.schedule.labelsChanged();
      loop.run(100);
      expect(loop.trail[1]).toMatch(/^forest v/);
    });

    it('goes straight to training when the forest could not answer (one class only)', () => {
      const schedule = new LoopSchedule({ depth: 4, burstSteps: 2, versionEverySteps: 2, inferBatch: 2, quickForest: true });
      schedule.labelsChanged();
      expect(schedule.next().kind).toBe('fold');
      schedule.folded(true);
      expect(schedule.next().kind).toBe('forest');
      schedule.forestAnswered(null);
      expect(schedule.next().kind).toBe('train');
    });

    it('is off unless asked for', () => {
      const loop = drive({ depth: 4, burstSteps: 2, versionEverySteps: 2, inferBatch: 2 });
      loop.schedule.labelsChanged();
      loop.run(100);
      expect(loop.trail.some((t) => t.startsWith('forest'))).toBe(false);
    });
  });
});
