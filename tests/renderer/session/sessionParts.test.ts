import { describe, expect, it } from 'vitest';
import type { LabelGrid } from '../../../src-renderer/labels/labelGrid';
import { FocusSender, focusSliceOf } from '../../../src-renderer/session/focusSlice';
import { LossHistory } from '../../../src-renderer/session/lossHistory';
import { lossPlotGeometry } from '../../../src-renderer/session/lossPlotPath';
import { RestartNotice } from '../../../src-renderer/session/restartNotice';
import { formatAge, formatDuration, jobPercent } from '../../../src-renderer/session/sessionFormat';
import { checkSessionSettings, loadSessionSettings, saveSessionSettings } from '../../../src-renderer/session/sessionSettings';
import type { Scheduler } from '../../../src-renderer/session/predictionFeed';
import type { PlaneReadout } from '../../../src-renderer/viewer/viewerApi';

const grid: LabelGrid = { dimensions: [10, 10, 20], spacingMm: [1, 1, 2], originMm: [0, 0, -10], direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] };

function readout(focal: [number, number, number], normal: [number, number, number]): PlaneReadout {
  return { sliceIndex: 0, sliceCount: 20, positionMm: 0, labels: { top: 'A', bottom: 'P', left: 'R', right: 'L' }, focalPointMm: focal, normal };
}

describe('focus slice', () => {
  it('reads k from the axial view, whichever plane is active', () => {
    const readouts = { axial: readout([5, 5, 4], [0, 0, 1]), sagittal: readout([3, 5, 4], [1, 0, 0]), coronal: null };
    expect(focusSliceOf(grid, readouts, 'sagittal')).toBe(7);
    expect(focusSliceOf(grid, { axial: null, sagittal: readouts.sagittal, coronal: null }, 'axial')).toBeNull();
  });

  it('sends a slice once it stayed put, and never the same slice twice in a row', () => {
    const sent: number[] = [];
    let pending: (() => void) | null = null;
    const schedule: Scheduler = (task) => {
      pending = task;
      return () => {
        pending = null;
      };
    };
    const fire = (): void => {
      const task = pending;
      pending = null;
      task?.();
    };
    const sender = new FocusSender((k) => sent.push(k), schedule);
    sender.update(3);
    sender.update(4);
    fire();
    sender.update(4);
    expect(pending).toBeNull();
    expect(sent).toEqual([4]);
    sender.reset();
    fire();
    expect(sent).toEqual([4, 4]);
  });
});

describe('loss history and plot', () => {
  it('ignores repeated and non-finite points and thins old ones past its limit', () => {
    const history = new LossHistory(8);
    history.add([{ step: 1, loss: 2 }, { step: 1, loss: 3 }, { step: 2, loss: Number.NaN }]);
    expect(history.points).toEqual([{ step: 1, loss: 2 }]);
    history.add(Array.from({ length: 10 }, (_, n) => ({ step: n + 2, loss: 1 / (n + 1) })));
    expect(history.points.length).toBeLessThanOrEqual(8);
    expect(history.points[history.points.length - 1]?.step).toBe(11);
    expect(() => new LossHistory(2)).toThrow(/at least 4/);
  });

  it('maps the steps across the box and switches to a log scale over a decade', () => {
    const geometry = lossPlotGeometry([{ step: 10, loss: 1 }, { step: 20, loss: 0.01 }], 100, 50);
    expect(geometry?.logScale).toBe(true);
    expect(geometry?.polyline).toBe('0.0,0.0 100.0,50.0');
    expect(lossPlotGeometry([{ step: 1, loss: 0.5 }], 100, 50)?.polyline).toBe('');
    expect(lossPlotGeometry([], 100, 50)).toBeNull();
  });
});

describe('restart notice', () => {
  it('says the trainer stopped and is restarting, then that it was restarted, strokes safe', () => {
    const notice = new RestartNotice();
    expect(notice.onSession('training', null)).toBeNull();
    const during = notice.onSession('restarting', 'exit code 137');
    expect(during?.alarming).toBe(true);
    expect(during?.text).toContain('The trainer stopped (exit code 137)');
    const after = notice.onSession('idle', null);
    expect(after?.text).toBe('The trainer stopped (exit code 137); it was restarted from the last checkpoint; your strokes are safe.');
    expect(after?.alarming).toBe(false);
  });

  it('hears a quick restart from the supervisor count when no restarting phase was seen', () => {
    const notice = new RestartNotice();
    expect(notice.onTrainer(0, null, true)).toBeNull();
    expect(notice.onTrainer(1, 'killed by signal SIGKILL', true)?.text).toContain('(killed by signal SIGKILL); it was restarted');
    expect(notice.onTrainer(2, 'again', false)).toBeNull();
  });

  it('does not give the session’s earlier message (e.g. how it was initialised) as the reason', () => {
    const notice = new RestartNotice();
    notice.onSession('training', 'No pre-trained model in the registry yet: training from scratch.');
    const during = notice.onSession('restarting', 'No pre-trained model in the registry yet: training from scratch.');
    expect(during?.text).toBe('The trainer stopped (it exited unexpectedly); it is being restarted from the last checkpoint; your strokes are safe.');
  });

  it('says when the session could not continue', () => {
    const notice = new RestartNotice();
    notice.onSession('restarting', 'GPU lost');
    expect(notice.onSession('failed', 'no backend')?.text).toMatch(/could not continue: no backend.*start the session again/);
  });
});

describe('formatting and settings', () => {
  it('formats ages, durations and job progress', () => {
    expect(formatAge(null, 0)).toBe('never');
    expect(formatAge(1000, 4000)).toBe('3 s ago');
    expect(formatAge(0, 125_000)).toBe('2 min ago');
    expect(formatDuration(3725)).toBe('1 h 2 min');
    expect(jobPercent({ step: 5, totalSteps: 0 })).toBeNull();
    expect(jobPercent({ step: 250, totalSteps: 1000 })).toBe(25);
  });

  it('checks typed settings with the contract and round-trips them through storage', () => {
    expect(checkSessionSettings({ size: 40 })).toEqual({ ok: false, message: 'size: size must be a multiple of 16' });
    const checked = checkSessionSettings({ size: 32, width: 4, burstSteps: undefined, batch: Number.NaN });
    expect(checked).toEqual({ ok: true, value: { size: 32, width: 4 } });
    expect(checkSessionSettings({ method: 'simcvd' })).toEqual({ ok: true, value: { method: 'simcvd' } });
    expect(checkSessionSettings({ method: 'mean-teacher' })).toMatchObject({ ok: false, message: expect.stringMatching(/^method: /) });
    const store = new Map<string, string>();
    const storage = { getItem: (key: string) => store.get(key) ?? null, setItem: (key: string, value: string) => void store.set(key, value) };
    saveSessionSettings({ size: 32, burstSteps: 3 }, storage);
    expect(loadSessionSettings(storage)).toEqual({ size: 32, burstSteps: 3 });
    store.set('macl.session.settings', '{"size": 33}');
    expect(loadSessionSettings(storage)).toEqual({});
  });
});
