import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src-main/services/commandLineOptions';
import { createProgressReporter, formatDuration, formatStep, type CommandIo } from '../../../src-main/cli/jobProgress';

type Event = { kind: 'step'; n: number } | { kind: 'note'; text: string };
const progressLine = (e: Event): string | null => (e.kind === 'step' ? `step ${e.n}` : null);
const eventLine = (e: Event): string | null => (e.kind === 'note' ? e.text : null);

function io(tty: boolean): CommandIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(`out:${l}`), err: (l) => lines.push(`err:${l}`), ...(tty ? { status: (l: string) => lines.push(`status:${l}`) } : {}) };
}

describe('command-line progress', () => {
  it('formats a step line with loss parts, slices/s and ETA', () => {
    expect(formatStep({ step: 12, totalSteps: 1000, losses: { total: 7.4123, global: 4.9, dense: 4.88, er: 0.0712 }, lr: 0.00999, slicesPerSecond: 31.24, etaSeconds: 312 }))
      .toBe('step 12/1000  total 7.412 (global 4.900, dense 4.880, er 0.07120)  lr 9.99e-3  31.2 slices/s  ETA 5m12s');
    expect([formatDuration(42), formatDuration(3725), formatDuration(0.4)]).toEqual(['42s', '1h02m', '0s']);
  });

  it('throttles progress lines when stderr is no terminal, flushing the last one; rewrites in place on a terminal', () => {
    let t = 0;
    const plain = io(false);
    const reporter = createProgressReporter<Event>(plain, { json: false, progressLine, eventLine, intervalMs: 1000, now: () => t });
    for (const n of [1, 2, 3]) {
      reporter.report({ kind: 'step', n });
      t += 400;
    }
    reporter.report({ kind: 'note', text: 'hello' });
    t += 2000;
    reporter.report({ kind: 'step', n: 4 });
    reporter.report({ kind: 'step', n: 5 });
    reporter.finish();
    expect(plain.lines).toEqual(['err:step 1', 'err:step 3', 'err:hello', 'err:step 4', 'err:step 5']);

    const tty = io(true);
    const live = createProgressReporter<Event>(tty, { json: false, progressLine, eventLine });
    live.report({ kind: 'step', n: 1 });
    live.report({ kind: 'note', text: 'note' });
    live.report({ kind: 'step', n: 2 });
    live.finish();
    expect(tty.lines).toEqual(['status:step 1', 'err:', 'err:note', 'status:step 2', 'err:']);

    const json = io(false);
    const machine = createProgressReporter<Event>(json, { json: true, progressLine, eventLine });
    machine.report({ kind: 'step', n: 1 });
    machine.report({ kind: 'note', text: 'x' });
    expect(json.lines).toEqual(['out:{"kind":"step","n":1}', 'out:{"kind":"note","text":"x"}']);
  });

  it('prints the last line of one kind of progress before the next kind starts (the final step before a loading phase)', () => {
    type Phase = { kind: 'step' | 'loading'; n: number };
    const plain = io(false);
    const reporter = createProgressReporter<Phase>(plain, { json: false, progressLine: (e) => `${e.kind} ${e.n}`, eventLine: () => null, intervalMs: 1000, now: () => 0 });
    reporter.report({ kind: 'step', n: 1 });
    reporter.report({ kind: 'step', n: 2 });
    reporter.report({ kind: 'loading', n: 0 });
    reporter.finish();
    expect(plain.lines).toEqual(['err:step 1', 'err:step 2', 'err:loading 0']);
  });

  it('parses options with their kinds and names what is wrong', () => {
    const specs = { steps: { kind: 'int' as const, min: 1 }, lr: { kind: 'number' as const }, json: { kind: 'flag' as const }, out: { kind: 'string' as const } };
    expect(parseArgs(['--steps', '5', '--lr=1e-3', '--json', 'extra', '--out', 'a b'], specs)).toEqual({ values: { steps: 5, lr: 0.001, json: true, out: 'a b' }, positionals: ['extra'] });
    expect(parseArgs(['--steps', '0'], specs)).toEqual({ error: '--steps must be at least 1, got 0.' });
    expect(parseArgs(['--steps', '2.5'], specs)).toEqual({ error: '--steps must be an integer, got "2.5".' });
    expect(parseArgs(['--lr', '--json'], specs)).toEqual({ error: '--lr needs a value.' });
    expect(parseArgs(['--json=yes'], specs)).toEqual({ error: '--json takes no value.' });
    expect(parseArgs(['--out', 'a', '--out', 'b'], specs)).toEqual({ error: '--out is given twice.' });
    expect(parseArgs(['--size', '3'], specs)).toEqual({ error: 'Unknown option "--size".' });
  });
});
