/**
 * Command-line options of the browser host (`npm run serve -- --port 8080`).
 */
import { parseArgs, stringOption } from '../services/commandLineOptions';
import { backendPreferenceSchema, type BackendPreference } from '../shared/contract/compute';

export interface HostOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly open: boolean;
  readonly backend: BackendPreference;
  readonly help: boolean;
  /** The workspace folder; undefined means the default (MACL_WORKSPACE, else the documents folder). */
  readonly workspace?: string;
}

export const hostUsage = `Usage: npm run serve -- [--port N] [--no-open] [--backend auto|tensorflow|webgpu|webgpu-swiftshader|cpu] [--workspace DIR]

Serves MACL Workstation to a browser on this machine only (127.0.0.1), with a
random token in the printed URL. Without --no-open the system browser opens it.
  --port N      listen on port N (default: a free port)
  --no-open     print the URL but do not open a browser
  --backend B   force the trainer's compute backend (default: auto, the fastest measured)
  --workspace DIR  where series index, labels and models live (default: $MACL_WORKSPACE, else
                ~/Documents/MACL Workspace)`;

export function parseHostOptions(argv: readonly string[]): HostOptions | { error: string } {
  const parsed = parseArgs(argv, {
    port: { kind: 'string' },
    'no-open': { kind: 'flag' },
    backend: { kind: 'choice', choices: backendPreferenceSchema.options },
    workspace: { kind: 'string' },
    help: { kind: 'flag', short: 'h' },
  });
  if ('error' in parsed) return parsed;
  const { values, positionals } = parsed;
  const [extra] = positionals;
  if (extra !== undefined) return { error: `Unknown option "${extra}".` };
  const rawPort = stringOption(values, 'port');
  const port = Number(rawPort ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || rawPort?.trim() === '') return { error: `--port needs a whole number from 0 to 65535, got "${rawPort ?? ''}".` };
  const workspace = stringOption(values, 'workspace');
  if (workspace === '') return { error: '--workspace needs a folder path.' };
  const options = { port, open: values['no-open'] !== true, backend: backendPreferenceSchema.parse(values.backend ?? 'auto'), help: values.help === true };
  return workspace === undefined ? options : { ...options, workspace };
}
