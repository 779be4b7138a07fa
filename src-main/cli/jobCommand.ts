/**
 * What macl pretrain, finetune and infer share: common options
 * (--workspace, --backend, --json, --help), argument errors as exit 2 with
 * usage, the backend chosen by the trainer's code, Ctrl-C as cancellation
 * (exit 130; a pre-training saves a checkpoint first), a failed job as exit
 * 1 with its message, and progress shown by jobProgress.ts.
 */
import type { z } from 'zod';
import { CancelledError } from '../shared/cancellation';
import type { BackendPreference } from '../shared/contract/compute';
import type { JobBackend, JobContext } from '../trainer/jobs/jobContext';
import { defaultWorkspaceDir } from '../workspace/workspacePaths';
import { parseArgs, stringOption, type OptionSpec, type OptionValues } from '../services/commandLineOptions';
import { backendChoices, backendOf, backendOption, prepareBackend } from './cliBackend';
import { consoleIo, createProgressReporter, type CommandIo } from './jobProgress';

/** Options every job command takes. */
export const commonJobOptions: Readonly<Record<string, OptionSpec>> = {
  workspace: { kind: 'string' },
  backend: backendOption,
  json: { kind: 'flag' },
  help: { kind: 'flag' },
};

/** Usage lines for the common options. */
export const commonJobUsage = `  --workspace DIR  the workspace (default: $MACL_WORKSPACE, else Documents/MACL Workspace)
  --backend B      ${backendChoices} (default auto: the fastest that works)
  --json           one JSON object per line on stdout (every event, then the result)`;

/** Replaceable parts, for tests. */
export interface JobCommandDeps {
  readonly io?: CommandIo;
  readonly prepareBackend?: (preference: BackendPreference, log: (line: string) => void) => Promise<JobBackend>;
  /** Cancels the job; default: Ctrl-C (SIGINT). */
  readonly signal?: AbortSignal;
  /** The default workspace when --workspace is not given. */
  readonly defaultWorkspace?: () => string;
  /** Test seams passed to the job (fault injection). */
  readonly context?: Pick<JobContext<unknown>, 'wrapPretrainer' | 'wrapFinetuner'>;
}

export interface JobCommandDef<P, E, R> {
  readonly usage: string;
  /** Options besides the common ones. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** The job's parameter schema (defaults and range checks). */
  readonly schema: z.ZodType<unknown, P>;
  /** The job's parameters from the options, or a usage error (async: it may read the workspace, e.g. a saved PACS connection). */
  readonly build: (values: OptionValues, workspaceDir: string) => P | string | Promise<P | string>;
  /**
   * Fills the settings the user left out for the chosen backend and checks
   * they fit its memory (throws with what to lower); returns a note for the
   * user, or null. Runs after the backend is ready, before the job.
   */
  readonly resolve?: (params: P, backend: JobBackend) => Promise<{ readonly params: P; readonly note: string | null }>;
  readonly run: (params: P, ctx: JobContext<E>) => Promise<R>;
  readonly progressLine: (event: E) => string | null;
  readonly eventLine: (event: E) => string | null;
  /** The final lines for stdout in text mode. */
  readonly summary: (result: R) => string;
}

/** Runs one job command; returns the exit code (0 done, 1 failed, 2 bad arguments, 130 cancelled). */
export async function runJobCommand<P, E, R>(args: readonly string[], def: JobCommandDef<P, E, R>, deps: JobCommandDeps = {}): Promise<number> {
  const io = deps.io ?? consoleIo();
  const parsed = parseArgs(args, { ...commonJobOptions, ...def.options });
  const usageError = (message: string): number => {
    io.err(`${message}\n\n${def.usage}`);
    return 2;
  };
  if ('error' in parsed) return usageError(parsed.error);
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.out(def.usage);
    return 0;
  }
  // Job commands take options only.
  if (positionals.length > 0) return usageError(`Unexpected argument "${positionals[0] ?? ''}".`);
  const preference = backendOf(values);
  const workspaceDir = stringOption(values, 'workspace') ?? (deps.defaultWorkspace ?? (() => defaultWorkspaceDir()))();
  const built = await def.build(values, workspaceDir);
  if (typeof built === 'string') return usageError(built);
  const checked = def.schema.safeParse(built);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return usageError(`Invalid ${issue?.path.length ? `--${String(issue.path[0])}` : 'arguments'}: ${issue?.message ?? 'invalid'}.`);
  }
  const json = values.json === true;
  const log = json ? () => undefined : (line: string) => io.err(`[backend] ${line}`);
  const reporter = createProgressReporter<E>(io, { json, progressLine: def.progressLine, eventLine: def.eventLine });
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    io.err('\nStopping after the current step (Ctrl-C again to quit at once)...');
    controller.abort();
  };
  if (deps.signal === undefined) process.on('SIGINT', onSigint);
  try {
    const backend = await (deps.prepareBackend ?? prepareBackend)(preference, log);
    if (!json) io.err(`backend: ${backend.kind} (${backend.device})`);
    const resolved = def.resolve === undefined ? { params: built, note: null } : await def.resolve(built, backend);
    if (resolved.note !== null && !json) io.err(resolved.note);
    const result = await def.run(resolved.params, { ...deps.context, emit: (event) => reporter.report(event), signal: deps.signal ?? controller.signal, backend });
    reporter.finish();
    if (!json) io.out(def.summary(result));
    return 0;
  } catch (thrown) {
    reporter.finish();
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    if (json) io.out(JSON.stringify({ type: 'error', name: error.name, message: error.message }));
    if (thrown instanceof CancelledError) {
      io.err(`${error.message}.`);
      return 130;
    }
    io.err(`Error: ${error.message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
