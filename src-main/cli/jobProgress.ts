/**
 * How job events are shown on the command line. Text mode: a progress line
 * on stderr (rewritten in place on a terminal, else printed every few
 * seconds), notes and checkpoints as their own lines. JSON mode: every
 * event as one JSON object per line on stdout, for machines.
 */

/** Where a command writes. */
export interface CommandIo {
  /** A line on stdout. */
  readonly out: (line: string) => void;
  /** A line on stderr. */
  readonly err: (line: string) => void;
  /** Replaces the current stderr line (a terminal progress bar); absent when stderr is not a terminal. */
  readonly status?: (line: string) => void;
}

/** The process's own stdout/stderr. */
export function consoleIo(): CommandIo {
  const tty = process.stderr.isTTY;
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    ...(tty ? { status: (line: string) => void process.stderr.write(`\r\x1b[2K${line}`) } : {}),
  };
}

/** 42s, 5m12s, 1h02m. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const number = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));

/** "total 7.412 (global 4.901, dense 4.880, er 0.071)" or "loss 0.412". */
export function formatLosses(losses: Readonly<Record<string, number>>): string {
  const entries = Object.entries(losses);
  const [first, ...rest] = entries;
  if (first === undefined) return '';
  const head = `${first[0]} ${number(first[1])}`;
  return rest.length === 0 ? head : `${head} (${rest.map(([k, v]) => `${k} ${number(v)}`).join(', ')})`;
}

/** The fields every step event has. */
export interface StepFigures {
  readonly step: number;
  readonly totalSteps: number;
  readonly losses: Readonly<Record<string, number>>;
  readonly lr: number;
  readonly slicesPerSecond: number;
  readonly etaSeconds: number | null;
}

/** One progress line: step/N, loss parts, lr, slices/s, ETA. */
export function formatStep(e: StepFigures): string {
  const eta = e.etaSeconds === null ? '' : `  ETA ${formatDuration(e.etaSeconds)}`;
  return `step ${e.step}/${e.totalSteps}  ${formatLosses(e.losses)}  lr ${e.lr.toExponential(2)}  ${e.slicesPerSecond.toFixed(1)} slices/s${eta}`;
}

/** Shows events: `line` turns an event into a progress line (or null for a line of its own via `other`). */
export interface ProgressReporter<E> {
  report(event: E): void;
  /** Ends a pending in-place line. */
  finish(): void;
}

export interface ReporterOptions<E> {
  readonly json: boolean;
  /** A progress line for frequent events (throttled), or null. */
  readonly progressLine: (event: E) => string | null;
  /** A line of its own for rare events (notes, checkpoints), or null to show nothing. */
  readonly eventLine: (event: E) => string | null;
  /** Minimum time between progress lines when stderr is not a terminal. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export function createProgressReporter<E>(io: CommandIo, options: ReporterOptions<E>): ProgressReporter<E> {
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 2000;
  let lastPrinted = -Infinity;
  let lastKind = '';
  let pending: string | null = null;
  let inPlace = false;
  const endInPlace = (): void => {
    if (inPlace) io.err('');
    inPlace = false;
  };
  return {
    report(event) {
      if (options.json) {
        io.out(JSON.stringify(event));
        return;
      }
      const progress = options.progressLine(event);
      if (progress !== null) {
        if (io.status !== undefined) {
          io.status(progress);
          inPlace = true;
          return;
        }
        // A new kind of line (loading -> step) is shown at once; the same kind at most once per interval.
        const t = now();
        const kind = progress.split(' ', 1)[0] ?? '';
        if (kind !== lastKind || t - lastPrinted >= interval) {
          // The last line of the previous kind (e.g. the final step before a loading phase) is not lost.
          if (kind !== lastKind && pending !== null) io.err(pending);
          io.err(progress);
          lastPrinted = t;
          lastKind = kind;
          pending = null;
        } else pending = progress;
        return;
      }
      const line = options.eventLine(event);
      if (line === null) return;
      endInPlace();
      if (pending !== null) io.err(pending);
      pending = null;
      io.err(line);
    },
    finish() {
      endInPlace();
      if (pending !== null) io.err(pending);
      pending = null;
    },
  };
}
