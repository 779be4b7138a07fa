/**
 * Command-line options of the browser host (`npm run serve -- --port 8080`).
 */
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
  let port = 0;
  let open = true;
  let backend: BackendPreference = 'auto';
  let help = false;
  let workspace: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined => {
      const inline = arg?.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined;
      if (inline !== undefined) return inline;
      i += 1;
      return argv[i];
    };
    const name = arg?.split('=')[0];
    switch (name) {
      case '--port': {
        const raw = value();
        const parsed = Number(raw);
        if (raw === undefined || !Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
          return { error: `--port needs a whole number from 0 to 65535, got "${raw ?? ''}".` };
        }
        port = parsed;
        break;
      }
      case '--no-open':
        open = false;
        break;
      case '--backend': {
        const raw = value();
        const parsed = backendPreferenceSchema.safeParse(raw);
        if (!parsed.success) return { error: `--backend must be one of ${backendPreferenceSchema.options.join(', ')}, got "${raw ?? ''}".` };
        backend = parsed.data;
        break;
      }
      case '--workspace': {
        const raw = value();
        if (raw === undefined || raw.length === 0) return { error: '--workspace needs a folder path.' };
        workspace = raw;
        break;
      }
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        return { error: `Unknown option "${arg ?? ''}".` };
    }
  }
  return workspace === undefined ? { port, open, backend, help } : { port, open, backend, help, workspace };
}
