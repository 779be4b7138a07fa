/**
 * `macl eval`: the quality protocol of docs/eval-protocol.md on one image and
 * its truth, in this process: simulated strokes on K slices per label,
 * fine-tuning on those voxels alone (from scratch or a registry model),
 * inference over the whole volume, per-label 3-D Dice.
 */
import type * as tf from '@tensorflow/tfjs';
import { loadEvalCase } from '../eval/evalInputs';
import { evalSwitchDefaults, runEval, type EvalResult } from '../eval/evalRun';
import { runForestEval, type ForestEvalOptions, type ForestEvalResult } from '../eval/forestEval';
import type { LabelResult } from '../eval/scoreScribbled';
import { decodeParams } from '../ml/serialize';
import { interpolateByDefault } from '../ml/sliceInterpolation';
import { limitToExtentByDefault } from '../ml/strokeExtent';
import { defaultFinetuneMethod, finetuneMethods, parseFinetuneMethod } from '../shared/contract/trainer/finetuneMethod';
import { openModelRegistry } from '../workspace/modelRegistry';
import { defaultWorkspaceDir } from '../workspace/workspacePaths';
import { viewerSliceNumber, type SliceGeometry } from '../shared/sliceNumbering';
import { numberOption, onOffOption, stringOption } from '../services/commandLineOptions';
import { parseCommandLine } from './parseCommandLine';
import { defaultsNote, resolveEvalSettings } from './backendDefaults';
import { backendChoices, backendOf, prepareBackend } from './cliBackend';
import { enclosedFillUsage, evalTrainingOptions, parseEnclosedFill, recalibrateOption, recalibrateUsage } from './evalTrainingOptions';

export const evalUsage = `Usage: macl eval --image PATH --truth FILE.nii|SEG.dcm --scribble-slices K [options]

Simulates a radiologist on the image (strokes inside each structure's eroded
core and just outside it, on K slices per label), fine-tunes on those voxels
alone, segments every slice and prints per-label 3-D Dice (docs/eval-protocol.md).

  --image PATH            a DICOM series folder or file, or a NIfTI file
  --truth FILE            a NIfTI label map on the same grid (0 = background), or a DICOM-SEG of the --image series
  --scribble-slices K     slices scribbled per label
  --labels 1,2            labels to evaluate (default: every label in the truth)
  --init NAME|none        initialise from a registry model (pre-trained or fine-tuned), or from scratch (default none)
  --method M              fine-tuning method: ${finetuneMethods.join(' or ')} (default ${defaultFinetuneMethod}; simcvd adds
                          a mean teacher on the unscribbled slices, docs/ml-notes.md), or forest: no network, the
                          interactive loop's quick answer (a random forest on multi-scale pixel features of the
                          stroked voxels; --steps, --size, --width, --batch, --lr and --init do not apply)
  --steps N               fine-tuning steps (default 200)
  --seed S                seed of the weights, batches and augmentation (default 1)
  --size S                training size, a multiple of 16
  --width W               U-Net base width (default: the init model's)
  --batch B               slices per step
  --lr LR                 Adam's initial rate
                          (size, width, batch, lr default to the interactive session's for the
                          backend: on wasm/cpu 64, 16, 4, 5e-3; on a GPU 256, 32, 8, 5e-3; the size
                          at most the image's larger side rounded up to 16. Settings whose training
                          step cannot fit the backend's memory are refused before any work.)
  --smoothness W          weight of the edge-aware smoothness term (default 1; 0 = cross-entropy alone, MACL's recipe)
  --freeze-steps N        with --init: keep the transferred encoder and decoder 1-2 fixed for the first N steps
  --transfer-lr-scale X   with --init: learning-rate multiplier of the transferred blocks (default 1)
${recalibrateUsage}
  --keep-connected on|off drop predicted regions that no stroke of their structure touches, as the
                          interactive loop does (default on; the Dice before it is printed too)
  --extent on|off         set each structure's answers outside its strokes' extent (a box grown from
                          them, ml/strokeExtent.ts) to background before that filter, as the
                          interactive loop does (default on; the Dice without it is printed too)
  --interpolate on|off    fuse the answer with each structure's shape interpolated between its
                          painted slices (where it was outlined on every one: ml/sliceInterpolation.ts,
                          ml/shapeFusion.ts), after the extent limit, as the interactive loop does
                          (default ${interpolateByDefault ? 'on' : 'off'}; the Dice without it is printed too)
  --roi on|off            train and segment only the box around the structures' strokes, outside it
                          background, as the interactive loop does (default on)
  --prior on|off          divide each class's probability by its share of the stroked pixels before
                          the argmax, as the interactive loop does (default on; the Dice without it is printed too)
  --prior-cap on|off      off: no cap on those weights (default on, at 4): with the prior undone every
                          class then has the same prior
  --several-structures on|off
                          strokes of two or more structures train with the class-balanced CE and show
                          with every class's prior the same (ml/severalStructures.ts), as the
                          interactive loop does (default on)
${enclosedFillUsage}
  --class-balanced on|off each stroked class weighs the same in the loss, the prior's weights adjusted
                          to it (ml/crossEntropy.ts; default ${evalSwitchDefaults.classBalanced ? 'on' : 'off'}, but --several-structures and
                          --enclosed-fill turn it on where they apply)
  --mirror-guard on|off   mirrored training samples leave unlabelled the strokes a mirror contradicts
                          and swap left/right pairs (ml/mirrorSafeLabels.ts; default ${evalSwitchDefaults.mirrorGuard ? 'on' : 'off'})
  --workspace DIR         the workspace whose models --init names (default: $MACL_WORKSPACE, else Documents/MACL Workspace)
  --backend B             ${backendChoices} (default auto)
  --json                  print the result as one JSON object`;

const options = {
  image: { kind: 'string' },
  truth: { kind: 'string' },
  'scribble-slices': { kind: 'int', min: 1 },
  labels: { kind: 'string' },
  init: { kind: 'string' },
  method: { kind: 'choice', choices: [...finetuneMethods, 'forest'] },
  seed: { kind: 'int', min: 0 },
  ...evalTrainingOptions,
  'keep-connected': { kind: 'choice', choices: ['on', 'off'] },
  extent: { kind: 'choice', choices: ['on', 'off'] },
  interpolate: { kind: 'choice', choices: ['on', 'off'] },
  roi: { kind: 'choice', choices: ['on', 'off'] },
  prior: { kind: 'choice', choices: ['on', 'off'] },
  'prior-cap': { kind: 'choice', choices: ['on', 'off'] },
  'several-structures': { kind: 'choice', choices: ['on', 'off'] },
  'enclosed-fill': { kind: 'string' },
  'class-balanced': { kind: 'choice', choices: ['on', 'off'] },
  'mirror-guard': { kind: 'choice', choices: ['on', 'off'] },
  json: { kind: 'flag' },
} as const;

function parseLabels(raw: string | undefined): number[] | string | undefined {
  if (raw === undefined) return undefined;
  const labels = raw.split(',').map((part) => Number(part.trim()));
  if (labels.some((label) => !Number.isInteger(label) || label < 1 || label > 254)) return `--labels must be a comma-separated list of labels 1..254, got "${raw}".`;
  if (new Set(labels).size !== labels.length) return `--labels lists a label twice: "${raw}".`;
  return labels;
}

/** The per-label table; with the stroke-connected filter and the prior's weights, each Dice without them too. */
function labelLines(labels: readonly LabelResult[], geometry: SliceGeometry): string[] {
  const interpolated = labels.some((r) => r.uninterpolatedDice !== undefined);
  const limited = labels.some((r) => r.unlimitedDice !== undefined);
  const filtered = labels.some((r) => r.unfilteredDice !== undefined);
  const weighted = labels.some((r) => r.unweightedDice !== undefined);
  return [
    `  label   Dice    ${interpolated ? 'uninterpolated  ' : ''}${limited ? 'unlimited   ' : ''}${filtered ? 'unfiltered  ' : ''}${weighted ? 'unweighted  ' : ''}stroked voxels  background voxels  slices (as the viewer numbers them)`,
    ...labels.map((r) => `  ${String(r.label).padEnd(6)}  ${r.dice.toFixed(3)}   ${interpolated ? `${(r.uninterpolatedDice ?? r.dice).toFixed(3)}           ` : ''}${limited ? `${(r.unlimitedDice ?? r.dice).toFixed(3)}       ` : ''}${filtered ? `${(r.unfilteredDice ?? r.dice).toFixed(3)}       ` : ''}${weighted ? `${(r.unweightedDice ?? r.dice).toFixed(3)}       ` : ''}${String(r.labelledVoxels).padEnd(14)}  ${String(r.backgroundVoxels).padEnd(17)}  ${r.slices.map((k) => viewerSliceNumber(geometry, k).number).join(',')}`),
    ...(interpolated ? ["  (uninterpolated: without fusing each structure's answer with its shape interpolated between its painted slices; --interpolate off skips it)"] : []),
    ...(limited ? ["  (unlimited: without setting each structure's answers outside its strokes' extent to background; --extent off skips it)"] : []),
    ...(filtered ? ['  (Dice after dropping the regions no stroke of their structure touches, as the interactive loop does; unfiltered: before; --keep-connected off skips it)'] : []),
    ...(weighted ? ["  (unweighted: the same model without dividing each class's probability by its share of the strokes; --prior off skips it)"] : []),
  ];
}

/** The text report; slices are numbered as the viewer numbers them (the JSON keeps grid indices k). */
export function formatEvalResult(result: EvalResult, imagePath: string, initName: string, geometry: SliceGeometry): string {
  const lines = [
    `eval: ${imagePath}`,
    `  backend ${result.backend}, size ${result.size}, width ${result.width}, batch ${result.batch}, ${result.steps} steps, init ${initName}, method ${result.method}, seed ${result.seed}`,
    `  loss ${result.classBalanced ? 'class-balanced' : 'plain'} cross-entropy, mirror guard ${result.mirrorGuard ? 'on' : 'off'}`,
    ...labelLines(result.labels, geometry),
    `  mean Dice ${result.meanDice.toFixed(3)}; labelled voxels ${result.labelledVoxels}; loss ${result.lossFirst.toFixed(3)} -> ${result.lossLast.toFixed(3)}`,
    `  fine-tune ${result.finetuneSeconds.toFixed(1)} s, inference ${result.inferenceSeconds.toFixed(1)} s, total ${result.seconds.toFixed(1)} s`,
  ];
  return lines.join('\n');
}

/** Runs `macl eval` with the arguments after the command name; returns the exit code. */
export async function runEvalCommand(args: readonly string[]): Promise<number> {
  const commandLine = parseCommandLine(args, options, evalUsage);
  if ('exitCode' in commandLine) return commandLine.exitCode;
  const { values, usageError } = commandLine;
  const image = stringOption(values, 'image');
  const truth = stringOption(values, 'truth');
  const scribbleSlices = numberOption(values, 'scribble-slices');
  if (image === undefined || truth === undefined || scribbleSlices === undefined) return usageError('Give --image, --truth and --scribble-slices.');
  const labels = parseLabels(stringOption(values, 'labels'));
  if (typeof labels === 'string') return usageError(labels);
  const size = numberOption(values, 'size');
  if (size !== undefined && size % 16 !== 0) return usageError(`--size must be a multiple of 16, got ${size}.`);
  const enclosedFill = parseEnclosedFill(stringOption(values, 'enclosed-fill'));
  if (typeof enclosedFill === 'string') return usageError(enclosedFill);
  const preference = backendOf(values);
  const keepConnected = stringOption(values, 'keep-connected') !== 'off';
  const limitToExtent = onOffOption(values, 'extent') ?? limitToExtentByDefault;
  const interpolate = onOffOption(values, 'interpolate') ?? interpolateByDefault;
  const severalStructures = onOffOption(values, 'several-structures');
  const classBalanced = onOffOption(values, 'class-balanced');
  const mirrorGuard = onOffOption(values, 'mirror-guard');
  if (stringOption(values, 'method') === 'forest') return runForestArm(image, truth, { scribbleSlices, seed: numberOption(values, 'seed') ?? 1, keepConnected, limitToExtent, interpolate, ...(labels === undefined ? {} : { labels }) }, values.json === true, stringOption(values, 'workspace') ?? defaultWorkspaceDir());
  const method = parseFinetuneMethod(stringOption(values, 'method') ?? defaultFinetuneMethod) ?? defaultFinetuneMethod;
  const json = values.json === true;
  const log = (line: string): void => console.error(line);
  const workspaceDir = stringOption(values, 'workspace') ?? defaultWorkspaceDir();
  const initName = stringOption(values, 'init') ?? 'none';

  try {
    const backend = await prepareBackend(preference, json ? () => undefined : log);
    const evalCase = await loadEvalCase(image, truth, workspaceDir);
    const loaded = initName === 'none' ? null : await (await openModelRegistry(workspaceDir)).load(initName);
    if (loaded !== null && loaded.artifact.spec.inChannels !== 1) throw new Error(`Model "${initName}" takes ${loaded.artifact.spec.inChannels} input channels; eval uses single-channel images.`);
    const initWidth = loaded?.artifact.spec.width;
    const given = { size, width: numberOption(values, 'width'), batch: numberOption(values, 'batch'), lr: numberOption(values, 'lr') };
    if (initWidth !== undefined && given.width !== undefined && given.width !== initWidth) throw new Error(`--width ${given.width} does not match the width ${initWidth} of model "${initName}".`);
    const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
    const { settings, filled } = resolveEvalSettings(backend, defined, Math.max(evalCase.width, evalCase.height), initWidth);
    const note = defaultsNote(backend, filled);
    if (note !== null && !json) log(note);
    const init: Map<string, tf.Tensor> | null = loaded === null ? null : decodeParams(loaded.artifact);
    const steps = numberOption(values, 'steps') ?? 200;
    const every = Math.max(1, Math.round(steps / 20));
    try {
      const result = await runEval(evalCase, {
        scribbleSlices,
        ...(labels === undefined ? {} : { labels }),
        init,
        method,
        steps,
        seed: numberOption(values, 'seed') ?? 1,
        ...settings,
        ...(numberOption(values, 'smoothness') === undefined ? {} : { smoothness: numberOption(values, 'smoothness') }),
        keepConnected,
        limitToExtent,
        interpolate,
        ...recalibrateOption(values),
        roi: stringOption(values, 'roi') !== 'off',
        ...(stringOption(values, 'prior') === 'off' ? { priorAlpha: 0 } : {}),
        ...(stringOption(values, 'prior-cap') === 'off' ? { priorCap: Infinity } : {}),
        ...(severalStructures === undefined ? {} : { severalStructures }),
        ...(enclosedFill === undefined ? {} : { enclosedFill }),
        ...(classBalanced === undefined ? {} : { classBalanced }),
        ...(mirrorGuard === undefined ? {} : { mirrorGuard }),
        transfer: { freezeSteps: numberOption(values, 'freeze-steps') ?? 0, lrScale: numberOption(values, 'transfer-lr-scale') ?? 1 },
        onStep: json ? undefined : (step) => {
          if ((step.step + 1) % every === 0) log(`step ${step.step + 1}/${steps}  loss ${step.loss.toFixed(4)}  ${step.ms.toFixed(0)} ms/step`);
        },
      });
      const named = { ...result, backend: backend.kind, device: backend.device, image: evalCase.imagePath, truth: evalCase.truthPath, initModel: initName };
      console.log(json ? JSON.stringify(named) : formatEvalResult(named, evalCase.imagePath, initName, evalCase.geometry));
    } finally {
      if (init !== null) for (const tensor of init.values()) tensor.dispose();
    }
    return 0;
  } catch (thrown) {
    console.error(`macl eval: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    return 1;
  }
}

/** The text report of the pixel classifier's arm. */
export function formatForestEvalResult(result: ForestEvalResult, imagePath: string, geometry: SliceGeometry): string {
  return [
    `eval: ${imagePath}`,
    `  method forest (${result.trees} trees on multi-scale pixel features${result.location ? " and the voxel position" : ""}), seed ${result.seed}`,
    ...labelLines(result.labels, geometry),
    `  mean Dice ${result.meanDice.toFixed(3)}; labelled voxels ${result.labelledVoxels}`,
    `  train ${result.trainSeconds.toFixed(2)} s, predict ${result.predictSeconds.toFixed(2)} s (every slice), total ${result.seconds.toFixed(2)} s`,
    `  processor time: train ${result.trainCpuSeconds.toFixed(2)} s, predict ${result.predictCpuSeconds.toFixed(2)} s`,
  ].join('\n');
}

/** `macl eval --method forest`: the protocol with the pixel classifier in place of the network. */
async function runForestArm(image: string, truth: string, options: ForestEvalOptions, json: boolean, workspaceDir: string): Promise<number> {
  try {
    const evalCase = await loadEvalCase(image, truth, workspaceDir);
    const result = runForestEval(evalCase, options);
    console.log(json ? JSON.stringify({ ...result, method: 'forest', image: evalCase.imagePath, truth: evalCase.truthPath }) : formatForestEvalResult(result, evalCase.imagePath, evalCase.geometry));
    return 0;
  } catch (thrown) {
    console.error(`macl eval: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    return 1;
  }
}
