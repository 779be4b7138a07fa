/**
 * The `macl` command: the app's services without any UI, for scripted use,
 * CI and benchmarks. Bundled to dist/main/cli.cjs.
 */
import type { BackendPreference } from '../shared/contract/compute';
import { parseArgs } from '../services/commandLineOptions';
import { backendOf, backendOption } from './cliBackend';
import { runEvalCommand } from './evalCommand';
import { runEvalSuiteCommand } from './evalSuiteCommand';
import { runEvalPretrainCommand } from './evalPretrainCommand';
import { runExportSegCommand } from './exportSegCommand';
import { runFinetuneCommand } from './finetuneCommand';
import { runInferCommand } from './inferCommand';
import { runInspectCommand } from './inspectCommand';
import { runLoopBenchCommand } from './loopBenchCommand';
import { runMlBench, runMlBenchChild } from './mlBenchCommand';
import { runModelsCommand } from './modelsCommand';
import { runPacsCommand } from './pacsCommand';
import { runPhantomCommand } from './phantomCommand';
import { runPretrainCommand } from './pretrainCommand';
import { runHeaderScanBench } from '../eval/headerScanBench';
import { formatProbeReport, probeThroughTrainer } from './probeCommand';
import { applyThreadsOption, takeThreadsOption } from './threadsOption';
import { runThreadScalingCommand } from './threadScalingCommand';

const usage = `Usage: macl <command> [options]

Commands:
  probe [--backend B] [--json]   start the trainer process, measure the compute backends, print what it found
  bench [--backend B] [--quick] [--json]   print benchmark figures: compute-backend probe, archive header-scan rate, model steps per backend
  bench-loop [--backend B] [--size 256 --slices 64 | --image PATH --truth FILE] [--rounds 3,2] [--json]   the interactive loop's latency and Dice without a browser
  bench-threads [--counts 1,2,4,8] [--rounds 3]   WebAssembly step times per thread count, interleaved runs, medians
  inspect PATH... [--json]       print the series, refused and skipped files an import of PATH would find
  pretrain --archive DIR --out NAME [...]   MACL pre-training on an unlabelled archive (resumable)
  finetune --image PATH --labels FILE --out NAME [--init NAME|none] [...]   fine-tune on sparse labels
  infer --model NAME --image PATH --out FILE.nii [...]   segment an image with a fine-tuned model
  models [list | show NAME | remove NAME]   the workspace's model registry
  eval --image PATH --truth FILE --scribble-slices K [...]   simulated strokes, fine-tune, per-label 3-D Dice (docs/eval-protocol.md)
  eval-suite [--quick] [--cases A,B] [--k 1,2,3,5] [--seeds 1,2,3]   eval on the real labelled cases and the phantom, one table (docs/eval-protocol.md)
  eval-pretrain --image PATH --truth FILE --init NAME [...]   scratch vs pre-trained init, supervised vs SimCVD, K x seeds (docs/eval-protocol.md)
  phantom --out DIR [--size 64 --slices 32 --seed S --count N]   write synthetic volumes with truth (NIfTI)
  export-seg --series DIR --labels FILE --out FILE [--segments JSON] [...]   write a DICOM-SEG of a NIfTI label map
  pacs search|retrieve|store --url URL [...]   find studies on a DICOMweb PACS, fetch a series into the workspace, send a DICOM-SEG

Run "macl <command> --help" for a command's options.

Options:
  --backend B   auto (default), tensorflow, webgpu, webgpu-swiftshader, wasm or cpu
  --threads N   threads of the WebAssembly backend (default: every core, at most 8; also MACL_WASM_THREADS)
  --json        machine-readable output
  --verbose     (any command) also show tfjs's own console messages (its Node.js banner among them)`;

interface CommonOptions {
  readonly backend: BackendPreference;
  readonly json: boolean;
  /** bench only: the short model-step benchmark. */
  readonly quick: boolean;
}

/** The options of probe and bench (bench also takes --quick). */
function parseCommon(args: readonly string[], withQuick: boolean): CommonOptions | { error: string } {
  const parsed = parseArgs(args, {
    backend: backendOption,
    json: { kind: 'flag' },
    ...(withQuick ? { quick: { kind: 'flag' as const } } : {}),
  });
  if ('error' in parsed) return parsed;
  const [extra] = parsed.positionals;
  if (extra !== undefined) return { error: `Unknown option "${extra}".` };
  return { backend: backendOf(parsed.values), json: parsed.values.json === true, quick: parsed.values.quick === true };
}

async function probe(options: CommonOptions, asBenchmark: boolean): Promise<number> {
  const log = options.json ? () => undefined : (line: string) => console.error(`[trainer] ${line}`);
  const status = await probeThroughTrainer(options.backend, log);
  if (options.json) {
    console.log(JSON.stringify(asBenchmark ? { benchmark: 'compute-backend-probe', ...status } : status, null, 2));
  } else {
    if (asBenchmark) console.log('benchmark: compute-backend probe (conv forward + backward in the trainer process)');
    if (status.report !== null) console.log(formatProbeReport(status.report));
    if (status.message !== null) console.log(status.message);
  }
  return status.state === 'ready' ? 0 : 1;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...given] = argv;
  const threadsOption = takeThreadsOption(given);
  if ('error' in threadsOption) {
    console.error(threadsOption.error);
    return 2;
  }
  applyThreadsOption(threadsOption.threads);
  const rest = threadsOption.rest;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(usage);
    return command === undefined ? 2 : 0;
  }
  // These parse their own options.
  switch (command) {
    case 'inspect':
      return runInspectCommand(rest);
    case 'pretrain':
      return runPretrainCommand(rest);
    case 'finetune':
      return runFinetuneCommand(rest);
    case 'infer':
      return runInferCommand(rest);
    case 'models':
      return runModelsCommand(rest);
    case 'export-seg':
      return runExportSegCommand(rest);
    case 'eval':
      return runEvalCommand(rest);
    case 'eval-suite':
      return runEvalSuiteCommand(rest);
    case 'eval-pretrain':
      return runEvalPretrainCommand(rest);
    case 'phantom':
      return runPhantomCommand(rest);
    case 'bench-ml':
      return runMlBenchChild(rest);
    case 'bench-loop':
      return runLoopBenchCommand(rest);
    case 'bench-threads':
      return runThreadScalingCommand(rest);
    case 'pacs':
      return runPacsCommand(rest);
  }
  const options = parseCommon(rest, command === 'bench');
  if ('error' in options) {
    console.error(`${options.error}\n\n${usage}`);
    return 2;
  }
  switch (command) {
    case 'probe':
      return probe(options, false);
    case 'bench': {
      const probeCode = await probe(options, true);
      const scan = await runHeaderScanBench({ log: options.json ? () => undefined : (line) => console.error(`[bench] ${line}`) });
      if (options.json) console.log(JSON.stringify(scan, null, 2));
      else {
        console.log(`\nbenchmark: archive header scan of ${scan.files} synthetic files in ${scan.series} series (${scan.cpus} CPUs)`);
        console.log(`  first scan: ${scan.filesPerSecond.toFixed(0)} files/s (${scan.scanSeconds.toFixed(2)} s; target >= ${scan.targetFilesPerSecond})`);
        console.log(`  resumed scan (unchanged files skipped): ${scan.resumeFilesPerSecond.toFixed(0)} files/s`);
      }
      const mlCode = await runMlBench({ backend: options.backend, json: options.json, quick: options.quick });
      return Math.max(probeCode, mlCode);
    }
    default:
      console.error(`Unknown command "${command}".\n\n${usage}`);
      return 2;
  }
}

/**
 * Takes --verbose out of the arguments (every command accepts it) and passes
 * it on as MACL_VERBOSE=1, which the backend loaders here and in a forked
 * trainer read (trainer/backends/thirdPartyOutput.ts).
 */
function takeVerbose(argv: readonly string[]): string[] {
  const rest = argv.filter((arg) => arg !== '--verbose');
  if (rest.length !== argv.length) process.env.MACL_VERBOSE = '1';
  return rest;
}

main(takeVerbose(process.argv.slice(2))).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`macl: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
