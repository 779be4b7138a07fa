/**
 * The label store's crash test: a child process applies a deterministic stream
 * of label edits and saves (tests/unit/labels/crash/), and is killed with
 * SIGKILL at random (seeded) moments, over 200 times. After every kill the
 * label file must load and equal, bit for bit, the state the child last
 * reported saved or the state of the save it was making; never a torn,
 * corrupt or older file. Kills are chained per workspace: each child starts
 * from the file the previous one left (and checks it against the stream), so
 * kills during start-up and loading are covered too.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsDirOf } from '../../../src-main/labels/labelPaths';
import { createLabelService } from '../../../src-main/labels/labelService';
import { crashGrid, LabelEditStream, seededRandom, type StreamState } from './crash/labelEditStream';
import { imageSeriesId, seriesSource } from './labelFixtures';

const root = path.resolve(__dirname, '../../..');
const chains = 8;
const killsPerChain = 25;
const parallelChains = 2;
const baseSeed = 20240401;

let bundleDir = '';
let childPath = '';
const workspaces: string[] = [];

beforeAll(async () => {
  mkdirSync(path.join(root, 'build'), { recursive: true });
  bundleDir = mkdtempSync(path.join(root, 'build', 'test-labels-crash-'));
  childPath = path.join(bundleDir, 'crashChild.cjs');
  await build({
    entryPoints: [path.join(__dirname, 'crash/crashChild.ts')],
    outfile: childPath,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Smaller to parse: the child starts 200 times.
    minify: true,
    logLevel: 'warning',
  });
});

afterAll(() => {
  if (bundleDir !== '') rmSync(bundleDir, { recursive: true, force: true });
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

type Outcome = 'previous' | 'new' | 'between';

interface KillReport {
  readonly saved: number[];
  readonly loaded: number | null;
  readonly output: string;
}

/**
 * Runs the child on `workspace` and kills it `delayMs` after its spawn
 * (`afterSaves` null: start-up and loading), or after it loaded and then
 * reported `afterSaves` saves (so every chain makes progress, however slow
 * the disk).
 */
function runAndKill(workspace: string, seed: number, delayMs: number, afterSaves: number | null): Promise<KillReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childPath, workspace, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let pending = '';
    const saved: number[] = [];
    let loaded: number | null = null;
    const kill = (): void => {
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    };
    if (afterSaves === null) kill();
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        output += `${line}\n`;
        const [word, number] = line.split(' ');
        if (word === 'loaded') loaded = Number(number);
        if (word === 'saved') saved.push(Number(number));
        if ((word === 'loaded' || word === 'saved') && saved.length === afterSaves) kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`The crash child ended by itself (code ${String(code)}, signal ${String(signal)}):\n${output}${pending}`));
      else resolve({ saved, loaded, output });
    });
  });
}

/** The save points of the stream (revisions after which it saves), produced as far as needed. */
class SavePlan {
  private readonly stream: LabelEditStream;
  private readonly points: number[] = [];
  constructor(seed: number) {
    this.stream = new LabelEditStream(seed);
  }
  firstAfter(revision: number): number {
    for (;;) {
      const found = this.points.find((point) => point > revision);
      if (found !== undefined) return found;
      if (this.stream.next().saveAfter) this.points.push(this.stream.currentRevision);
    }
  }
}

interface ChainResult {
  readonly outcomes: Record<Outcome, number>;
  readonly tempFilesLeft: number;
  readonly savesReported: number;
  readonly finalRevision: number;
}

async function runChain(chain: number): Promise<ChainResult> {
  const seed = baseSeed + chain;
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'macl-label-crash-'));
  workspaces.push(workspace);
  const labelsDir = labelsDirOf(workspace);
  const model = new LabelEditStream(seed);
  const plan = new SavePlan(seed);
  const timing = seededRandom(seed * 7919);
  const outcomes: Record<Outcome, number> = { previous: 0, new: 0, between: 0 };
  let tempFilesLeft = 0;
  let savesReported = 0;
  let fileRevision = 0;
  for (let kill = 0; kill < killsPerChain; kill++) {
    const early = timing() < 0.15;
    const afterSaves = early ? null : Math.floor(timing() * 3);
    const delayMs = Math.floor(timing() * (early ? 250 : 40));
    const report = await runAndKill(workspace, seed, delayMs, afterSaves);
    const where = `chain ${chain} (seed ${seed}) kill ${kill} (${early ? 'from spawn' : `after load and ${afterSaves} saves`}, +${delayMs} ms)`;
    expect(report.output, where).not.toMatch(/mismatch|error/);
    if (report.loaded !== null) expect(report.loaded, `${where}: the child loaded another revision than the file held`).toBe(fileRevision);
    savesReported += report.saved.length;
    const lastReported = report.saved.at(-1) ?? fileRevision;
    const next = plan.firstAfter(lastReported);

    const leftovers = existsSync(labelsDir) ? readdirSync(labelsDir).filter((name) => name.endsWith('.tmp')) : [];
    tempFilesLeft += leftovers.length;
    const store = createLabelService({ workspaceDir: workspace, series: seriesSource(crashGrid) });
    const loaded = await store.load(imageSeriesId);
    await store.close();
    const onDisk = existsSync(labelsDir) ? readdirSync(labelsDir) : [];
    expect(onDisk.filter((name) => !name.endsWith('.macl-labels')), `${where}: stray files`).toEqual([]);

    const revision = loaded.revision;
    expect(revision, `${where}: older than the last reported save ${lastReported}`).toBeGreaterThanOrEqual(lastReported);
    expect(revision, `${where}: newer than the save in flight ${next}`).toBeLessThanOrEqual(next);
    while (model.currentRevision < revision) model.next();
    const actual: StreamState = { revision, strokes: loaded.strokes, accepted: loaded.accepted, segments: loaded.segments };
    expect(actual, `${where}: the file at revision ${revision} is not the stream's state`).toEqual(model.state());
    outcomes[revision === lastReported ? 'previous' : revision === next ? 'new' : 'between']++;
    fileRevision = revision;
  }
  return { outcomes, tempFilesLeft, savesReported, finalRevision: fileRevision };
}

describe('label files under kill -9', () => {
  it(`survive ${chains * killsPerChain} kills at random moments, always loading the previous or the new save`, async () => {
    const started = Date.now();
    const results: ChainResult[] = [];
    let nextChain = 0;
    await Promise.all(
      Array.from({ length: parallelChains }, async () => {
        while (nextChain < chains) results.push(await runChain(nextChain++));
      }),
    );
    const total = (key: Outcome): number => results.reduce((sum, result) => sum + result.outcomes[key], 0);
    const kills = total('previous') + total('new') + total('between');
    console.log(
      `label crash test: ${kills} kills in ${((Date.now() - started) / 1000).toFixed(1)} s; file = last reported save: ${total('previous')}, = the save in flight: ${total('new')}, ` +
        `= an autosave in between: ${total('between')}; saves reported: ${results.reduce((s, r) => s + r.savesReported, 0)}; ` +
        `temp files left by kills (removed on the next open): ${results.reduce((s, r) => s + r.tempFilesLeft, 0)}; final revisions: ${results.map((r) => r.finalRevision).join(', ')}`,
    );
    expect(kills).toBe(chains * killsPerChain);
    // The kills must land both before and after a save completes, or the test shows nothing.
    expect(total('previous')).toBeGreaterThan(0);
    expect(total('new')).toBeGreaterThan(0);
  }, 240_000);
});
