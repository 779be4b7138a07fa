/**
 * The interactive loop measured without a browser (`macl bench-loop`, docs/interactive-loop.md):
 * the real trainer process, label store and session service of the app, on a
 * synthetic phantom series with known truth. A scripted radiologist paints
 * the structures of one slice at a time (simulated strokes, src-main/eval/
 * scribble.ts), and after each edit the benchmark times how long the app
 * takes from the edit reaching the host to the first refined slice of the
 * new model version (the slice in focus, i.e. the painted one) and to the
 * whole volume refined; after each round it scores the shown mask (slices
 * of the newest version) against the truth.
 *
 * It measures what the GPU targets are about (training burst, inference,
 * streaming through the session service) on machines with no browser; the
 * browser benchmark (bench/loopBench.mjs) adds the renderer: the ~300 ms
 * pen-up debounce and drawing the slice.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createImportService } from '../importing/importService';
import { writeNiftiImage } from '../nifti/niftiImageWriter';
import { createLabelService } from '../labels/labelService';
import { createForkSpawner } from '../services/forkTrainer';
import { createTrainerSupervisor } from '../services/trainerSupervisor';
import { createSessionServices } from '../session/loopServices';
import type { BackendPreference } from '../shared/contract/compute';
import { backgroundStrokeValue, type Segment } from '../shared/contract/labels';
import type { PartialSessionSettings, SessionEvent, SessionSettings } from '../shared/contract/sessionApi';
import { applyRuns, decodeRuns, runsToBytes, runsFromChanges } from '../shared/labels/labelRuns';
import { labelDice } from './dice';
import { loadEvalCase } from './evalInputs';
import { labelsPresent } from './evalRun';
import { generatePhantom, phantomLabels, type PhantomVolume } from './phantom';
import { phantomGeometry } from './phantomFiles';
import { simulateScribbles } from './scribble';

export interface LoopBenchOptions {
  readonly backend: BackendPreference;
  /** Phantom slice size and slice count (unused with `volume`). */
  readonly size: number;
  readonly slices: number;
  readonly seed: number;
  /** A real volume and its truth instead of the phantom (as `macl eval` reads them: src-main/eval/evalInputs.ts). */
  readonly volume?: { readonly image: string; readonly truth: string };
  /** Slices painted per round, e.g. [3, 2]: 3 slices, then 2 more. */
  readonly rounds: readonly number[];
  /** Session settings (missing ones: the trainer backend's defaults). */
  readonly settings?: PartialSessionSettings;
  /** A fresh folder for the phantom and the workspace. */
  readonly dir: string;
  /** The bundled trainer entry (dist/main/trainer.cjs). */
  readonly trainerPath: string;
  /** Longest wait for one edit's volume (default 30 minutes). */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

/** One painted slice. */
export interface LoopBenchSample {
  readonly round: number;
  readonly k: number;
  readonly modelVersion: number;
  /** Edit applied -> first slice of the new version received. */
  readonly firstSliceMs: number;
  /** Edit applied -> every slice of the new version received (with a quick answer: the quick version's). */
  readonly volumeMs: number;
  /** Edit applied -> the loop idle with every slice of its last version received (the round's Dice is taken then). */
  readonly settledMs: number;
  /** What made the first refined slice: the pixel classifier's quick answer or the network. */
  readonly firstSliceSource: 'forest' | 'network';
  /** Each version whose every slice arrived after this edit: when, what made it, and the Dice of the mask then shown. */
  readonly versions: ReadonlyArray<{ readonly modelVersion: number; readonly source: 'forest' | 'network'; readonly ms: number; readonly meanDice: number }>;
  /** The mask on screen sampled every few seconds after this edit (newest version received, what made it, mean Dice): versions that never reach every slice show here too. */
  readonly shown: ReadonlyArray<{ readonly ms: number; readonly modelVersion: number; readonly source: 'forest' | 'network'; readonly meanDice: number }>;
}

/** Seconds between two samples of the shown mask's Dice. */
const shownSampleMs = 3000;

export interface LoopBenchRound {
  readonly slicesPainted: number;
  readonly labelledVoxels: number;
  readonly dice: ReadonlyArray<{ readonly label: number; readonly name: string; readonly dice: number }>;
  readonly meanDice: number;
}

export interface LoopBenchResult {
  readonly backend: string;
  readonly device: string;
  /** 'phantom', or the image file or folder the loop ran on. */
  readonly image: string;
  readonly dimensions: readonly [number, number, number];
  readonly size: number;
  readonly slices: number;
  readonly settings: SessionSettings;
  readonly samples: readonly LoopBenchSample[];
  readonly rounds: readonly LoopBenchRound[];
  readonly firstSliceMs: { readonly p50: number; readonly p95: number };
  readonly volumeMs: { readonly p50: number; readonly p95: number };
  readonly settledMs: { readonly p50: number; readonly p95: number };
}

/** Nearest-rank percentile of `values` (NaN when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * The slices painted, round by round: evenly spread over the middle 60 % of the
 * slices that hold a structure (`labelled`, ascending; default every slice);
 * the first round takes every other position, later rounds fill the gaps
 * (rounds [3, 2] paint at 20, 50, 80 %, then 35 and 65 %).
 */
export function paintedSlices(depth: number, rounds: readonly number[], labelled: readonly number[] = Array.from({ length: depth }, (_, k) => k)): number[][] {
  const total = rounds.reduce((sum, n) => sum + n, 0);
  if (rounds.length === 0 || rounds.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`bench-loop: rounds must be positive integers, got "${rounds.join(',')}".`);
  if (total > labelled.length) throw new Error(`bench-loop: ${total} painted slices do not fit in ${labelled.length} slices${labelled.length < depth ? ' that hold a structure' : ''}.`);
  const positions = Array.from({ length: total }, (_, j) => (total === 1 ? 0.5 : 0.2 + (0.6 * j) / (total - 1)));
  const order = [...positions.keys()].sort((a, b) => (a % 2) - (b % 2) || a - b);
  const taken = new Set<number>();
  const slices = order.map((j) => {
    let n = Math.round((positions[j] as number) * (labelled.length - 1));
    while (taken.has(n)) n = (n + 1) % labelled.length;
    taken.add(n);
    return labelled[n] as number;
  });
  const out: number[][] = [];
  let next = 0;
  for (const n of rounds) {
    out.push(slices.slice(next, next + n));
    next += n;
  }
  return out;
}

/** A volume with its truth (the phantom, or a real image read with its truth). */
type TruthVolume = Pick<PhantomVolume, 'width' | 'height' | 'depth'> & { readonly truth: Uint8Array };

/** The strokes a radiologist would paint on slice k: each of `labels` present there, and background around it (uint8 strokes layer values). */
export function strokesOnSlice(volume: TruthVolume, k: number, labels: readonly number[] = phantomLabels.map((l) => l.label)): Map<number, number> {
  const plane = volume.width * volume.height;
  const truth = new Uint8Array(volume.truth.length);
  truth.set(volume.truth.subarray(k * plane, (k + 1) * plane), k * plane);
  const present = labels.filter((label) => truth.subarray(k * plane, (k + 1) * plane).includes(label));
  const strokes = new Map<number, number>();
  if (present.length === 0) return strokes;
  const scribbles = simulateScribbles(truth, volume, present, { slicesPerLabel: 1 });
  for (let i = k * plane; i < (k + 1) * plane; i += 1) {
    const value = scribbles.labels[i] as number;
    if (value === 0) strokes.set(i, backgroundStrokeValue);
    else if (value > 0) strokes.set(i, present[value - 1] as number);
  }
  return strokes;
}

const anatomicalStructure = { scheme: 'SCT', value: '123037004', meaning: 'Anatomical Structure' };

function truthSegments(labels: ReadonlyArray<{ readonly label: number; readonly name: string }>): Segment[] {
  const colors = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45'];
  return labels.map((l, i) => ({
    label: l.label,
    name: l.name,
    color: colors[i % colors.length] ?? '#ffffff',
    visible: true,
    locked: false,
    category: anatomicalStructure,
    type: { scheme: 'SCT', value: '91723000', meaning: 'Anatomical structure' },
  }));
}

/** The volume the loop runs on: the image file to import, its truth in the imported series' order, and the labels with names. */
async function benchVolume(options: LoopBenchOptions): Promise<{ image: string; volume: TruthVolume; labels: Array<{ label: number; name: string }> }> {
  if (options.volume !== undefined) {
    const loaded = await loadEvalCase(options.volume.image, options.volume.truth, options.dir);
    const truth = Uint8Array.from(loaded.truth);
    return { image: loaded.imagePath, volume: { ...loaded, truth }, labels: labelsPresent(truth).map((label) => ({ label, name: `label ${label}` })) };
  }
  const phantom = generatePhantom({ size: options.size, slices: options.slices, seed: options.seed });
  const image = path.join(options.dir, 'phantom.nii.gz');
  await writeNiftiImage(image, phantom.image, phantomGeometry(phantom));
  return { image, volume: phantom, labels: phantomLabels.map((l) => ({ label: l.label, name: l.name })) };
}

interface Waiter {
  readonly test: (event: SessionEvent) => boolean;
  readonly resolve: (event: SessionEvent) => void;
}

/** Runs the scripted session; resolves with the figures. */
export async function runLoopBenchmark(options: LoopBenchOptions): Promise<LoopBenchResult> {
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 1_800_000;
  await mkdir(options.dir, { recursive: true });
  const { image, volume: truthVolume, labels: truthLabels } = await benchVolume(options);
  const plane = truthVolume.width * truthVolume.height;
  // Only slices that hold a structure are painted: on a real scan the structures (deep grey nuclei, say) may fill a few of its slices.
  const labelledSlices = Array.from({ length: truthVolume.depth }, (_, k) => k).filter((k) => truthVolume.truth.subarray(k * plane, (k + 1) * plane).some((v) => v !== 0));
  const schedule = paintedSlices(truthVolume.depth, options.rounds, labelledSlices);
  const workspaceDir = path.join(options.dir, 'workspace');
  const series = await createImportService({ workspaceDir });
  const report = await series.importPaths([image], { thumbnails: false });
  const seriesId = report.series[0]?.seriesId;
  if (seriesId === undefined) throw new Error(`bench-loop: ${image} did not import (${JSON.stringify(report.refused)})`);
  const labels = createLabelService({ workspaceDir, series });
  const supervisor = createTrainerSupervisor({
    spawn: createForkSpawner(options.trainerPath, { output: (line) => log(`trainer: ${line}`) }),
    preference: options.backend,
    log: (line) => log(`trainer: ${line}`),
  });
  const loop = await createSessionServices({ trainer: supervisor, labels, workspaceDir });
  try {
    const status = await supervisor.start();
    if (status.state !== 'ready' || status.report === null) throw new Error(`bench-loop: the trainer did not start: ${status.message ?? status.state}`);
    const device = status.report.chosen.device;
    log(`trainer ready on ${status.report.chosen.backend} (${device})`);

    const shown = new Uint8Array(truthVolume.truth.length);
    const waiters: Waiter[] = [];
    let newestVersion = 0;
    // Settled: the loop idle and every slice of the newest model version received.
    let phase = '';
    let modelVersion = 0;
    let doneVersion = 0;
    const isSettled = (): boolean => phase === 'idle' && doneVersion >= modelVersion && modelVersion > 0;
    const sources = new Map<number, 'forest' | 'network'>();
    let editAt = 0;
    let versionTrail: Array<LoopBenchSample['versions'][number]> = [];
    let shownTrail: Array<LoopBenchSample['shown'][number]> = [];
    let sampledAt = 0;
    const meanDiceShown = (): number => truthLabels.reduce((sum, l) => sum + labelDice(shown, l.label, truthVolume.truth, l.label).dice, 0) / truthLabels.length;
    const unsubscribe = loop.sessions.subscribe(seriesId, (event) => {
      if (event.kind === 'slice') sources.set(event.modelVersion, event.source ?? 'network');
      if (event.kind === 'status') {
        phase = event.phase;
        modelVersion = Math.max(modelVersion, event.modelVersion ?? 0);
      }
      if (event.kind === 'volumeDone') {
        doneVersion = Math.max(doneVersion, event.modelVersion);
        if (event.modelVersion >= newestVersion) versionTrail.push({ modelVersion: event.modelVersion, source: sources.get(event.modelVersion) ?? 'network', ms: performance.now() - editAt, meanDice: meanDiceShown() });
      }
      if (event.kind === 'slice') {
        if (event.modelVersion < newestVersion) return;
        newestVersion = event.modelVersion;
        const slice = shown.subarray(event.k * plane, (event.k + 1) * plane);
        slice.fill(0);
        applyRuns(slice, decodeRuns(event.runs, plane));
        const now = performance.now();
        if (editAt > 0 && now - sampledAt >= shownSampleMs) {
          sampledAt = now;
          shownTrail.push({ ms: now - editAt, modelVersion: event.modelVersion, source: event.source ?? 'network', meanDice: meanDiceShown() });
        }
      }
      for (const waiter of [...waiters]) {
        if (waiter.test(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    });
    /** The first event after which the loop is settled (see isSettled). */
    const settled = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`bench-loop: the loop did not settle within ${timeoutMs / 1000} s`)), timeoutMs);
        waiters.push({ test: (): boolean => isSettled(), resolve: () => (clearTimeout(timer), resolve()) });
      });
    /** The first `kind` event of a model version newer than `version`. */
    const newer = <K extends 'slice' | 'volumeDone'>(kind: K, version: number): Promise<Extract<SessionEvent, { kind: K }>> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`bench-loop: no ${kind} event of a model version after ${version} within ${timeoutMs / 1000} s`)), timeoutMs);
        const test = (event: SessionEvent): event is Extract<SessionEvent, { kind: K }> => event.kind === kind && 'modelVersion' in event && event.modelVersion > version;
        waiters.push({ test, resolve: (event) => (clearTimeout(timer), resolve(event as Extract<SessionEvent, { kind: K }>)) });
      });

    const started = await loop.sessions.start({ seriesId, init: 'none', settings: options.settings });
    log(`session ${started.sessionId}: ${JSON.stringify(started.settings)}`);
    let revision = (await labels.load(seriesId)).revision;
    let segmentsSent = false;
    let labelledVoxels = 0;
    const samples: LoopBenchSample[] = [];
    const rounds: LoopBenchRound[] = [];
    let painted = 0;
    for (const [r, round] of schedule.entries()) {
      for (const k of round) {
        const strokes = strokesOnSlice(truthVolume, k, truthLabels.map((l) => l.label));
        labelledVoxels += strokes.size;
        const indices = Uint32Array.from(strokes.keys());
        const values = Uint8Array.from(strokes.values());
        loop.sessions.focus(started.sessionId, k);
        const before = newestVersion;
        const firstSlice = newer('slice', before);
        const volume = newer('volumeDone', before);
        phase = ''; // an idle status counts only once it follows this edit
        const t0 = performance.now();
        editAt = t0;
        versionTrail = [];
        shownTrail = [];
        sampledAt = 0;
        const applied = await labels.apply(seriesId, {
          baseRevision: revision,
          changes: [{ layer: 'strokes', runs: runsToBytes(runsFromChanges(indices, values)) }],
          ...(segmentsSent ? {} : { segments: truthSegments(truthLabels) }),
        });
        segmentsSent = true;
        revision = applied.revision;
        const first = await firstSlice;
        const t1 = performance.now();
        log(`round ${r + 1}, slice ${k}: first refined slice ${(t1 - t0).toFixed(0)} ms (${first.source ?? 'network'}, version ${first.modelVersion})`);
        const version = (await volume).modelVersion;
        const t2 = performance.now();
        log(`round ${r + 1}, slice ${k}: whole volume ${(t2 - t0).toFixed(0)} ms (version ${version}, Dice ${meanDiceShown().toFixed(3)})`);
        // The session may send its idle status before the last volumeDone: either order settles it.
        if (!isSettled()) await settled();
        const t3 = performance.now();
        samples.push({ round: r + 1, k, modelVersion: version, firstSliceMs: t1 - t0, volumeMs: t2 - t0, settledMs: t3 - t0, firstSliceSource: first.source ?? 'network', versions: versionTrail, shown: shownTrail });
        log(`round ${r + 1}, slice ${k}: first refined slice ${(t1 - t0).toFixed(0)} ms, whole volume ${(t2 - t0).toFixed(0)} ms (version ${version}), settled ${(t3 - t0).toFixed(0)} ms (version ${modelVersion})`);
      }
      painted += round.length;
      const dice = truthLabels.map((l) => ({ label: l.label, name: l.name, dice: labelDice(shown, l.label, truthVolume.truth, l.label).dice }));
      const meanDice = dice.reduce((sum, d) => sum + d.dice, 0) / dice.length;
      rounds.push({ slicesPainted: painted, labelledVoxels, dice, meanDice });
      log(`after ${painted} slices: Dice ${dice.map((d) => `${d.name} ${d.dice.toFixed(3)}`).join(', ')}`);
    }
    unsubscribe();
    const first = samples.map((s) => s.firstSliceMs);
    const whole = samples.map((s) => s.volumeMs);
    const settledTimes = samples.map((s) => s.settledMs);
    return {
      backend: status.report.chosen.backend,
      device,
      image: options.volume?.image ?? 'phantom',
      dimensions: [truthVolume.width, truthVolume.height, truthVolume.depth],
      size: options.size,
      slices: options.slices,
      settings: started.settings,
      samples,
      rounds,
      firstSliceMs: { p50: percentile(first, 50), p95: percentile(first, 95) },
      volumeMs: { p50: percentile(whole, 50), p95: percentile(whole, 95) },
      settledMs: { p50: percentile(settledTimes, 50), p95: percentile(settledTimes, 95) },
    };
  } finally {
    await loop.shutdown();
    await supervisor.dispose();
    await labels.close();
  }
}
