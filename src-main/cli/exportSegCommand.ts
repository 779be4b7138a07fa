/**
 * `macl export-seg --series DIR --labels FILE --out FILE [...]`: writes a
 * DICOM-SEG of a NIfTI label map over the DICOM series under DIR, with the
 * app's own writer, for scripted use and independent checking. The label
 * map is placed on the series' voxels through its affine (any axis order or
 * flip), and refused when it covers other voxels.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { codedConceptSchema, maxSegmentLabel, maxSegmentNameLength, type Segment } from '../shared/contract/labels';
import { scanForImport } from '../importing/importScan';
import { readNiftiLabelMapOntoGrid } from '../nifti/niftiLabelMap';
import { workstationAlgorithmName, type SegmentAlgorithm } from '../dicom/seg/segmentDescription';
import { readSegSource, SegSourceError } from '../dicom/seg/segSource';
import { SegExportError, writeSeg } from '../dicom/seg/segWriter';
import { numberOption, stringOption } from '../services/commandLineOptions';
import { parseCommandLine } from './parseCommandLine';

export const exportSegUsage = `Usage: macl export-seg --series DIR --labels FILE --out FILE [options]

Writes a DICOM Segmentation (BINARY) of the label map FILE (NIfTI, .nii or
.nii.gz, on the same patient-space voxels as the series; its affine may order
and flip the axes differently) over the DICOM image series under DIR.

Options:
  --segments JSON        which labels to export and how to describe them: a JSON file or
                         inline JSON, [{"label": 1, "name": "Liver", "color": "#aa0000",
                         "category": {"scheme": "SCT", "value": "123037004", "meaning": "Anatomical Structure"},
                         "type": {"scheme": "SCT", "value": "10200004", "meaning": "Liver"}}, ...];
                         default: every label present, named "Label N", SCT "Tissue"
  --description TEXT     SeriesDescription (default "Segmentation")
  --series-number N      SeriesNumber (default 900)
  --creator NAME         ContentCreatorName (default empty)
  --model-version V      the labels came from the model V: SEMIAUTOMATIC (default MANUAL)
  --series-uid UID       which series, when DIR holds several

Exit codes: 0 written; 2 bad usage; 3 nothing to export; 4 the labels are on
another grid; 5 source files missing, changed or unreadable; 1 other failures.`;

const specs = {
  series: { kind: 'string' },
  labels: { kind: 'string' },
  out: { kind: 'string' },
  segments: { kind: 'string' },
  description: { kind: 'string' },
  'series-number': { kind: 'int', min: 0 },
  creator: { kind: 'string' },
  'model-version': { kind: 'string' },
  'series-uid': { kind: 'string' },
  help: { kind: 'flag' },
} as const;

const tissue = { scheme: 'SCT', value: '85756007', meaning: 'Tissue' };
const palette = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6'];

const segmentSpecSchema = z
  .object({
    label: z.number().int().min(1).max(maxSegmentLabel),
    name: z.string().min(1).max(maxSegmentNameLength).optional(),
    color: z.string().regex(/^#[0-9a-f]{6}$/).optional(),
    category: codedConceptSchema.optional(),
    type: codedConceptSchema.optional(),
  })
  .strict();

/** Exit codes (see the usage text). */
const exit = { ok: 0, failed: 1, usage: 2, nothing: 3, grid: 4, source: 5 } as const;

class CommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function segmentFor(label: number, given?: z.infer<typeof segmentSpecSchema>): Segment {
  return {
    label,
    name: given?.name ?? `Label ${label}`,
    color: given?.color ?? (palette[(label - 1) % palette.length] as string),
    visible: true,
    locked: false,
    category: given?.category ?? tissue,
    type: given?.type ?? tissue,
  };
}

function parseSegments(raw: string): z.infer<typeof segmentSpecSchema>[] {
  let text = raw;
  if (!raw.trimStart().startsWith('[')) {
    if (!existsSync(raw)) throw new CommandError(exit.usage, `--segments: ${raw} is neither JSON nor an existing file.`);
    text = readFileSync(raw, 'utf8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (thrown) {
    throw new CommandError(exit.usage, `--segments is not valid JSON: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
  }
  const parsed = z.array(segmentSpecSchema).min(1).safeParse(json);
  if (!parsed.success) throw new CommandError(exit.usage, `--segments: ${parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

/** The version in the nearest package.json above this program (SoftwareVersions). */
function appVersion(): string {
  for (let dir = path.dirname(path.resolve(process.argv[1] ?? '.')); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const version: unknown = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
      if (typeof version === 'string') return version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

async function run(values: Readonly<Record<string, string | number | boolean | undefined>>): Promise<string> {
  const seriesDir = stringOption(values, 'series');
  const labelsFile = stringOption(values, 'labels');
  const out = stringOption(values, 'out');
  if (seriesDir === undefined || labelsFile === undefined || out === undefined) throw new CommandError(exit.usage, '--series, --labels and --out are required.');
  if (!existsSync(seriesDir)) throw new CommandError(exit.source, `The series folder ${seriesDir} does not exist.`);
  const { entries } = await scanForImport([seriesDir], { thumbnails: false });
  const uid = stringOption(values, 'series-uid');
  const images = entries.filter((e) => e.summary.source === 'dicom' && e.summary.kind === 'image' && (uid === undefined || e.summary.seriesInstanceUid === uid));
  const entry = images[0];
  if (entry === undefined) throw new CommandError(exit.source, `No DICOM image series${uid === undefined ? '' : ` ${uid}`} under ${seriesDir}.`);
  if (images.length > 1) throw new CommandError(exit.usage, `${seriesDir} holds ${images.length} image series (${images.map((e) => e.summary.seriesId).join(', ')}): choose one with --series-uid.`);
  const geometry = entry.summary.geometry;
  if (geometry === null) throw new CommandError(exit.source, `Series ${entry.summary.seriesId} has no image grid.`);
  let labels: Uint8Array;
  try {
    labels = await readNiftiLabelMapOntoGrid(labelsFile, geometry);
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    throw new CommandError(existsSync(labelsFile) ? exit.grid : exit.failed, `The labels do not fit series ${entry.summary.seriesId}: ${message}`);
  }
  const present = new Set(labels);
  present.delete(0);
  const given = stringOption(values, 'segments');
  const specsGiven = given === undefined ? [...present].sort((a, b) => a - b).map((label) => ({ label })) : parseSegments(given);
  if (specsGiven.length === 0) throw new CommandError(exit.nothing, `Nothing to export: ${labelsFile} holds no labelled voxel.`);
  const absent = specsGiven.filter((s) => !present.has(s.label)).map((s) => s.label);
  if (absent.length > 0) throw new CommandError(exit.nothing, `Nothing to export for label(s) ${absent.join(', ')}: ${labelsFile} has no voxel with them.`);
  const modelVersion = stringOption(values, 'model-version');
  const algorithm: SegmentAlgorithm = modelVersion === undefined ? { type: 'MANUAL' } : { type: 'SEMIAUTOMATIC', name: workstationAlgorithmName, version: modelVersion };
  const source = await readSegSource(entry.slices, { seriesInstanceUid: entry.summary.seriesInstanceUid, geometry, positionsMm: entry.slices.map((s) => s.positionMm) });
  const result = await writeSeg(path.resolve(out), {
    source,
    segments: specsGiven.map((spec) => ({ segment: segmentFor(spec.label, spec), volume: labels, algorithm })),
    seriesDescription: stringOption(values, 'description') ?? 'Segmentation',
    seriesNumber: numberOption(values, 'series-number') ?? 900,
    contentCreator: stringOption(values, 'creator') ?? '',
    softwareVersion: appVersion(),
  });
  const lines = result.segments.map((s) => `  segment ${s.segmentNumber}: label ${s.label} "${s.name}", ${s.voxels} voxels in ${s.frames} frame(s)`);
  return [`Wrote ${path.resolve(out)}: ${result.frames} frame(s) over ${source.slices.length} source slice(s) of series ${entry.summary.seriesInstanceUid}`, ...lines].join('\n');
}

/** Runs the command; returns the exit code. */
export async function runExportSegCommand(args: readonly string[]): Promise<number> {
  // Its exit codes for a usage mistake (2) and --help (0) are exit.usage and exit.ok.
  const parsed = parseCommandLine(args, specs, exportSegUsage);
  if ('exitCode' in parsed) return parsed.exitCode;
  try {
    console.log(await run(parsed.values));
    return exit.ok;
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    console.error(`macl export-seg: ${message}`);
    if (thrown instanceof CommandError) return thrown.code;
    if (thrown instanceof SegSourceError) return exit.source;
    if (thrown instanceof SegExportError) return /Nothing to export|No segment/.test(message) ? exit.nothing : exit.failed;
    return exit.failed;
  }
}
