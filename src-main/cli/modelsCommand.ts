/**
 * `macl models [--workspace DIR] [--json]`: lists the workspace's model
 * registry, newest first. `macl models show NAME|ID` describes one model;
 * `macl models remove NAME|ID` deletes one (the newest version of a name).
 */
import { defaultWorkspaceDir } from '../workspace/workspacePaths';
import { isIntermediate, type ModelRecord } from '../shared/contract/modelRecord';
import { openModelRegistry } from '../workspace/modelRegistry';
import { parseArgs, stringOption } from '../services/commandLineOptions';
import { consoleIo, formatLosses, type CommandIo } from './jobProgress';
import { describeModel } from './trainingEventText';

export const modelsUsage = `Usage: macl models [list | show NAME|ID | remove NAME|ID] [--workspace DIR] [--json]

Lists the models in the workspace's registry (newest first), describes one,
or removes one (a name means its newest version).`;

function cell(value: string, width: number): string {
  return value.length >= width ? `${value} ` : value + ' '.repeat(width - value.length);
}

/** The registry as a plain-text table. */
export function formatModelTable(records: readonly ModelRecord[]): string {
  if (records.length === 0) return 'No models yet (macl pretrain or macl finetune save them).';
  const header = `${cell('NAME', 20)}${cell('VER', 5)}${cell('KIND', 11)}${cell('STEPS', 13)}${cell('WIDTH/SIZE/K', 14)}${cell('LAST LOSS', 12)}${cell('BACKEND', 10)}${cell('CREATED', 22)}ID`;
  const rows = records.map((r) => {
    const steps = isIntermediate(r) ? `${r.steps}/${r.totalSteps}*` : String(r.steps);
    const spec = `${r.spec.width}/${r.spec.size}/${r.spec.classes ?? '-'}`;
    const loss = formatLosses(Object.fromEntries(Object.entries(r.losses).slice(0, 1))).split(' ')[1] ?? '-';
    return `${cell(r.name, 20)}${cell(String(r.version), 5)}${cell(r.kind, 11)}${cell(steps, 13)}${cell(spec, 14)}${cell(loss, 12)}${cell(r.backend, 10)}${cell(r.created.replace(/\.\d+Z$/, 'Z'), 22)}${r.id}`;
  });
  const footnote = records.some(isIntermediate) ? '\n* an intermediate checkpoint of an unfinished (or resumable) run' : '';
  return `${[header, ...rows].join('\n')}${footnote}`;
}

/** Runs `macl models` with the arguments after the command name; returns the exit code. */
export async function runModelsCommand(args: readonly string[], io: CommandIo = consoleIo(), defaultWorkspace: () => string = () => defaultWorkspaceDir()): Promise<number> {
  const parsed = parseArgs(args, { workspace: { kind: 'string' }, json: { kind: 'flag' }, help: { kind: 'flag' } });
  if ('error' in parsed) {
    io.err(`${parsed.error}\n\n${modelsUsage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.out(modelsUsage);
    return 0;
  }
  const [action = 'list', target, extra] = positionals;
  const needsTarget = action === 'show' || action === 'remove';
  if (!['list', 'show', 'remove'].includes(action) || (needsTarget && target === undefined) || (!needsTarget && target !== undefined) || extra !== undefined) {
    io.err(`${needsTarget && target === undefined ? `Give the model: macl models ${action} NAME|ID.` : `Unexpected argument "${action === 'list' ? (target ?? '') : action}".`}\n\n${modelsUsage}`);
    return 2;
  }
  const json = values.json === true;
  try {
    const registry = await openModelRegistry(stringOption(values, 'workspace') ?? defaultWorkspace());
    if (action === 'list') {
      const records = await registry.list();
      io.out(json ? JSON.stringify(records, null, 1) : formatModelTable(records));
      for (const problem of registry.problems) io.err(`warning: ${problem}`);
      return 0;
    }
    const record = action === 'show' ? await registry.find(target ?? '') : await registry.remove(target ?? '');
    io.out(json ? JSON.stringify(record, null, 1) : action === 'show' ? describeModel(record) : `Removed ${describeModel(record)}`);
    return 0;
  } catch (thrown) {
    io.err(`Error: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    return 1;
  }
}
