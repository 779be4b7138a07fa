/**
 * `macl eval-pretrain`: the pre-training comparison of docs/eval-protocol.md
 * in one command: scratch vs a pre-trained init, each fine-tuned supervised
 * or with SimCVD, for K stroked slices per structure and several seeds, on
 * one labelled case; prints each run as it ends and the mean +- sd table.
 */
import { appendFileSync } from 'node:fs';
import type * as tf from '@tensorflow/tfjs';
import { loadEvalCase } from '../eval/evalInputs';
import { encoderOnlyInit } from '../eval/encoderOnlyInit';
import { comparisonTable, runPretrainComparison, structureTable, type ComparisonArm } from '../eval/pretrainComparison';
import { decodeParams } from '../ml/serialize';
import { openModelRegistry } from '../workspace/modelRegistry';
import { defaultWorkspaceDir } from '../workspace/workspacePaths';
import { numberOption, onOffOption, stringOption } from '../services/commandLineOptions';
import { parseCommandLine } from './parseCommandLine';
import { backendChoices, backendOf, prepareBackend } from './cliBackend';
import { evalSwitchDefaults } from '../eval/evalRun';
import { evalTrainingOptions, recalibrateOption, recalibrateUsage } from './evalTrainingOptions';

const armNames = ['scratch', 'macl', 'macl-encoder', 'simcvd', 'macl+simcvd'] as const;
type ArmName = (typeof armNames)[number];

export const evalPretrainUsage = `Usage: macl eval-pretrain --image PATH --truth FILE --init NAME [options]

Runs the evaluation protocol (docs/eval-protocol.md) for every arm, K and
seed: scratch, the pre-trained init NAME (encoder + decoder 1-2), NAME's
encoder only (macl-encoder: decoder 1-2 as scratch draws them), SimCVD from
scratch, and SimCVD from NAME. Prints each run, then mean +- sd of the mean
Dice per arm and K (recalibrated runs: also with the training's statistics),
and per structure when the truth has several.

  --image PATH            a DICOM series folder or file, or a NIfTI file
  --truth FILE            a NIfTI label map on the image grid (or a DICOM-SEG of it)
  --init NAME             the registry's pre-trained model for the macl arms
  --merge-labels          evaluate one structure: every non-zero truth voxel (e.g. a brain mask
                          made of tissue classes)
  --arms LIST             of ${armNames.join(',')} (default all but macl-encoder)
  --k LIST                stroked slices per structure (default 1,2,3)
  --seeds LIST            default 1,2,3,4,5
  --steps N               fine-tuning steps per run (default 120)
  --size S --width W --batch B --lr LR --smoothness W   as in macl eval (defaults 64, the
                          init's width, 8, 5e-3, 1)
  --reach D               also score every --every steps and report the steps each run
                          needs to reach mean Dice D (median per arm and K)
  --every N               steps between those checkpoints (default 20)
  --freeze-steps N        macl arms: keep the transferred encoder and decoder 1-2 fixed for
                          the first N steps (default 0)
  --transfer-lr-scale X   macl arms: learning-rate multiplier of the transferred blocks
                          (default 1)
  --class-balanced on|off the class-balanced cross-entropy (default ${evalSwitchDefaults.classBalanced ? 'on' : 'off'}; labels filled
                          inside closed outlines are balanced either way)
${recalibrateUsage}
  --out FILE              append every run to FILE as one JSON line
  --workspace DIR         the workspace holding NAME
  --backend B             ${backendChoices} (default auto)`;

const options = {
  image: { kind: 'string' },
  truth: { kind: 'string' },
  init: { kind: 'string' },
  'merge-labels': { kind: 'flag' },
  'class-balanced': { kind: 'choice', choices: ['on', 'off'] },
  arms: { kind: 'string' },
  k: { kind: 'string' },
  seeds: { kind: 'string' },
  ...evalTrainingOptions,
  reach: { kind: 'number', min: 0 },
  every: { kind: 'int', min: 1 },
  out: { kind: 'string' },
} as const;

/** A comma-separated list of integers >= min, or a message. */
function integerList(raw: string | undefined, fallback: readonly number[], what: string, min: number): number[] | string {
  if (raw === undefined) return [...fallback];
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < min)) return `${what} must be a comma-separated list of integers >= ${min}, got "${raw}".`;
  return values;
}

/** Runs `macl eval-pretrain`; returns the exit code. */
export async function runEvalPretrainCommand(args: readonly string[]): Promise<number> {
  const commandLine = parseCommandLine(args, options, evalPretrainUsage);
  if ('exitCode' in commandLine) return commandLine.exitCode;
  const { values, usageError } = commandLine;
  const image = stringOption(values, 'image');
  const truth = stringOption(values, 'truth');
  const initName = stringOption(values, 'init');
  if (image === undefined || truth === undefined) return usageError('Give --image and --truth.');
  const arms = (stringOption(values, 'arms') ?? armNames.filter((a) => a !== 'macl-encoder').join(',')).split(',').map((a) => a.trim());
  const unknown = arms.find((a) => !(armNames as readonly string[]).includes(a));
  if (unknown !== undefined) return usageError(`--arms: "${unknown}" is not one of ${armNames.join(', ')}.`);
  if (arms.some((a) => a.startsWith('macl')) && initName === undefined) return usageError('The macl arms need --init NAME (a pre-trained model of the workspace).');
  const ks = integerList(stringOption(values, 'k'), [1, 2, 3], '--k', 1);
  const seeds = integerList(stringOption(values, 'seeds'), [1, 2, 3, 4, 5], '--seeds', 0);
  if (typeof ks === 'string') return usageError(ks);
  if (typeof seeds === 'string') return usageError(seeds);
  const size = numberOption(values, 'size') ?? 64;
  if (size % 16 !== 0) return usageError(`--size must be a multiple of 16, got ${size}.`);
  const preference = backendOf(values);
  const workspaceDir = stringOption(values, 'workspace') ?? defaultWorkspaceDir();
  const out = stringOption(values, 'out');
  const log = (line: string): void => console.error(line);

  let init: Map<string, tf.Tensor> | null = null;
  try {
    const backend = await prepareBackend(preference, log);
    const loaded = await loadEvalCase(image, truth, workspaceDir);
    const evalCase = values['merge-labels'] === true ? { ...loaded, truth: Uint8Array.from(loaded.truth, (v) => (v > 0 ? 1 : 0)) } : loaded;
    let initWidth: number | undefined;
    if (initName !== undefined) {
      const model = await (await openModelRegistry(workspaceDir)).load(initName);
      initWidth = model.artifact.spec.width;
      init = decodeParams(model.artifact);
    }
    const width = numberOption(values, 'width') ?? initWidth ?? 16;
    if (initWidth !== undefined && width !== initWidth) throw new Error(`--width ${width} does not match the width ${initWidth} of model "${initName ?? ''}".`);
    const pretrained = init;
    const armInit = (name: ArmName): ComparisonArm['init'] => {
      if (!name.startsWith('macl') || pretrained === null) return null;
      return name === 'macl-encoder' ? (seed: number) => encoderOnlyInit(pretrained, width, seed) : pretrained;
    };
    const armOf = (name: ArmName): ComparisonArm => ({ name, init: armInit(name), method: name.endsWith('simcvd') ? 'simcvd' : 'supervised' });
    const classBalanced = onOffOption(values, 'class-balanced');
    const smoothness = numberOption(values, 'smoothness');
    const reach = numberOption(values, 'reach');
    if (reach !== undefined && reach > 1) throw new Error(`--reach is a Dice between 0 and 1, got ${reach}.`);
    const freezeSteps = numberOption(values, 'freeze-steps');
    const lrScale = numberOption(values, 'transfer-lr-scale');
    const calibration = recalibrateOption(values);
    const transfer = { ...(freezeSteps === undefined ? {} : { freezeSteps }), ...(lrScale === undefined ? {} : { lrScale }) };
    log(`eval-pretrain: ${loaded.imagePath} (${backend.kind}); arms ${arms.join(', ')}; K ${ks.join(', ')}; seeds ${seeds.join(', ')}`);
    const runs = await runPretrainComparison(evalCase, {
      arms: arms.map((a) => armOf(a as ArmName)),
      ks,
      seeds,
      steps: numberOption(values, 'steps') ?? 120,
      size,
      width,
      batch: numberOption(values, 'batch') ?? 8,
      lr: numberOption(values, 'lr') ?? 5e-3,
      ...(smoothness === undefined ? {} : { smoothness }),
      ...(Object.keys(transfer).length === 0 ? {} : { transfer }),
      ...calibration,
      ...(classBalanced === undefined ? {} : { classBalanced }),
      ...(reach === undefined ? {} : { reach, checkpointEvery: numberOption(values, 'every') ?? 20 }),
      onRun: (run, result) => {
        log(`${run.arm.padEnd(12)} K ${run.k} seed ${run.seed}: mean Dice ${run.meanDice.toFixed(3)} (${result.labels.map((l) => `${l.label}: ${l.dice.toFixed(3)}`).join(', ')}), fine-tune ${run.finetuneSeconds.toFixed(0)} s${reach === undefined ? '' : `, Dice ${reach} ${run.reachStep === null ? 'not reached' : `at step ${run.reachStep} (${(run.reachSeconds ?? 0).toFixed(0)} s)`}`}${result.runningStatsDice === undefined ? '' : ` (training's statistics: ${result.runningStatsDice.toFixed(3)})`}`);
        // Written at once: the runs never yield to the event loop, so an asynchronous append would not
        // get its turn before the process ends or is stopped (the file stayed empty).
        if (out !== undefined) appendFileSync(out, `${JSON.stringify({ ...run, labels: result.labels.map((l) => ({ label: l.label, dice: l.dice })), curve: result.curve, ...(result.runningStatsDice === undefined ? {} : { runningStatsDice: result.runningStatsDice }), ...calibration, ...(classBalanced === undefined ? {} : { classBalanced }), lr: numberOption(values, 'lr') ?? 5e-3, transfer, steps: result.steps, size, width, backend: backend.kind, image: loaded.imagePath, init: initName ?? null })}\n`);
      },
    });
    console.log(comparisonTable(runs, arms, ks, reach));
    const perStructure = structureTable(runs, arms, ks);
    if (perStructure !== null) console.log(`\nDice per structure (final, as the mean Dice):\n${perStructure}`);
    return 0;
  } catch (thrown) {
    console.error(`macl eval-pretrain: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    return 1;
  } finally {
    if (init !== null) for (const tensor of init.values()) tensor.dispose();
  }
}
