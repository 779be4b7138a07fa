/**
 * macl finetune / infer / pretrain / models run in-process with captured
 * output: argument errors exit 2 with usage, a tiny fine-tune and inference
 * run through the trainer's cpu backend loader, --json prints one event per
 * line, the registry is listed and described.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIo } from '../../../src-main/cli/jobProgress';
import { runFinetuneCommand } from '../../../src-main/cli/finetuneCommand';
import { runInferCommand } from '../../../src-main/cli/inferCommand';
import { runModelsCommand } from '../../../src-main/cli/modelsCommand';
import { runPretrainCommand } from '../../../src-main/cli/pretrainCommand';
import { useCpu } from '../ml/helpers';
import { tempFolder, writePhantomArchive, writePhantomFiles, type PhantomFiles } from '../trainer/jobs/jobFixtures';

const temp = tempFolder('cli-jobs');
const workspace = path.join(temp.dir, 'ws');
let files: PhantomFiles;

beforeAll(async () => {
  await useCpu();
  files = writePhantomFiles(temp.dir);
});
afterAll(() => temp.cleanup());

function captured(): CommandIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

const deps = (io: CommandIo) => ({ io, signal: new AbortController().signal, defaultWorkspace: () => workspace });

describe('macl finetune / infer / models', () => {
  it('refuses bad arguments with exit 2 and the usage', async () => {
    const cases: Array<[Promise<number>, RegExp, ReturnType<typeof captured>]> = [];
    const run = (command: typeof runFinetuneCommand, args: string[], pattern: RegExp): void => {
      const io = captured();
      cases.push([command(args, deps(io)), pattern, io]);
    };
    run(runFinetuneCommand, ['--image', files.image, '--labels', files.labels], /Give the model name: --out NAME\./);
    run(runFinetuneCommand, ['--image', files.image, '--out', 'x'], /Give the labels of that image: --labels FILE/);
    run(runFinetuneCommand, ['--image', files.image, '--labels', files.labels, '--out', 'x', '--steps', 'many'], /--steps must be an integer, got "many"\./);
    run(runFinetuneCommand, ['--image', files.image, '--labels', files.labels, '--out', 'x', '--batch', '1'], /--batch must be at least 2, got 1\./);
    run(runFinetuneCommand, ['--image', files.image, '--labels', files.labels, '--out', 'x', '--backend', 'cuda'], /--backend must be one of auto, tensorflow, webgpu, webgpu-swiftshader, wasm, cpu, got "cuda"\./);
    run(runFinetuneCommand, ['--image', files.image, '--labels', files.labels, '--out', 'x', '--colour'], /Unknown option "--colour"\./);
    run(runFinetuneCommand, ['--image', files.image, '--labels', files.labels, '--out', 'x', '--method', 'mean-teacher'], /--method must be one of supervised, simcvd, got "mean-teacher"\./);
    run(runPretrainCommand, ['--out', 'x'], /Give the archive: --archive DIR, or --pacs NAME --query Q\./);
    run(runPretrainCommand, ['--archive', temp.dir, '--out', 'x', '--steps'], /--steps needs a value\./);
    run(runInferCommand, ['--model', 'm', '--image', files.image, '--out', 'pred.png'], /pred\.png: the output must end in \.nii or \.nii\.gz\./);
    for (const [code, pattern, io] of cases) {
      expect(await code).toBe(2);
      expect(io.stderr.join('\n')).toMatch(pattern);
      expect(io.stderr.join('\n')).toMatch(/Usage: macl (finetune|pretrain|infer)/);
    }
    const help = captured();
    expect(await runFinetuneCommand(['--help'], deps(help))).toBe(0);
    expect(help.stdout.join('\n')).toMatch(/--init NAME\|none/);
  });

  it('fine-tunes with --json (one event per line), infers, and lists the registry', async () => {
    const io = captured();
    const code = await runFinetuneCommand(['--image', files.image, '--labels', files.labels, '--out', 'cli-model', '--steps', '2', '--size', '32', '--batch', '2', '--width', '4', '--backend', 'cpu', '--json'], deps(io));
    expect(code, io.stderr.join('\n')).toBe(0);
    const events = io.stdout.map((line) => JSON.parse(line) as { type: string; step?: number; model?: { id: string; name: string } });
    expect(events.filter((e) => e.type === 'progress').map((e) => e.step)).toEqual([1, 2]);
    expect(events.at(-1)).toMatchObject({ type: 'done', model: { name: 'cli-model' } });

    const text = captured();
    const out = path.join(temp.dir, 'cli-pred.nii');
    expect(await runInferCommand(['--model', 'cli-model', '--image', files.image, '--out', out, '--backend', 'cpu'], deps(text))).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(text.stdout.join('\n')).toMatch(new RegExp(`^Wrote ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(8 slices, model ${events.at(-1)?.model?.id ?? ''}`));
    expect(text.stderr.join('\n')).toMatch(/backend: cpu \(CPU \(JavaScript\)/);

    const list = captured();
    expect(await runModelsCommand(['--workspace', workspace], list)).toBe(0);
    expect(list.stdout.join('\n')).toMatch(/^NAME +VER +KIND .*\ncli-model +1 +finetuned +2 +4\/32\/3 /);
    const show = captured();
    expect(await runModelsCommand(['show', 'cli-model', '--workspace', workspace], show)).toBe(0);
    expect(show.stdout.join('\n')).toMatch(/"cli-model" version 1 .*finetuned, width 4, size 32, 3 classes[\s\S]*labelled voxels per class: 0: \d+, 1: \d+, 2: \d+/);
    const missing = captured();
    expect(await runModelsCommand(['remove', 'nope', '--workspace', workspace], missing)).toBe(1);
    expect(missing.stderr.join('\n')).toMatch(/No model called "nope" .*Known names: cli-model/);
    expect(await runModelsCommand(['frobnicate'], captured())).toBe(2);
  });

  it('pre-trains with a text progress line on stderr and a summary on stdout', async () => {
    const archive = path.join(temp.dir, 'archive');
    writePhantomArchive(archive, 2, 12);
    const io = captured();
    const code = await runPretrainCommand(['--archive', archive, '--out', 'cli-pre', '--steps', '2', '--size', '64', '--batch', '4', '--width', '2', '--backend', 'cpu', '--workspace', workspace], deps(io));
    expect(code, io.stderr.join('\n')).toBe(0);
    const stderr = io.stderr.join('\n');
    // Not a terminal: the first step line is printed, the last one is flushed at the end.
    expect(stderr).toMatch(/step 1\/2 {2}total \d.* \(global \d.*, dense \d.*, er \d.*\) {2}lr 1\.00e-2 {2}\d+\.\d slices\/s {2}ETA \d+s/);
    expect(stderr).toMatch(/step 2\/2 /);
    expect(io.stdout.join('\n')).toMatch(/^Saved "cli-pre" version 1 \(\S+\): pretrained, width 2, size 64\n {2}steps 2; last losses: total/);
  });
});
