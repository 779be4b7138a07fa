/**
 * `macl inspect PATH... [--json]`: what an import would find under the
 * paths, using the app's own import code but writing no workspace: each
 * series with its UIDs, modality, slice count, size, spacing, orientation
 * and problems, then the files refused (with reasons) and the count of
 * non-DICOM files skipped.
 */
import { existsSync } from 'node:fs';
import { scanForImport } from '../importing/importScan';
import { parseArgs } from '../services/commandLineOptions';
import type { ImportReport, SeriesSummary } from '../shared/contract/series';

export const inspectUsage = `Usage: macl inspect PATH... [--json]

Reads every file under the paths (folders recursively) as the app's import
would, without writing anything, and prints the series found and the files
refused or skipped.`;

const mm = (value: number): string => `${Number(value.toFixed(3))} mm`;
const vec = (v: readonly number[]): string => v.map((x) => Number(x.toFixed(4))).join(', ');

function formatSeries(series: SeriesSummary): string {
  const lines = [`Series ${series.seriesId}  [${series.kind}${series.modality === '' ? '' : `, ${series.modality}`}${series.source === 'nifti' ? ', NIfTI' : ''}]${series.description === '' ? '' : `  "${series.description}"`}`];
  const patient = [series.patientName, series.patientId === '' ? '' : `(ID ${series.patientId})`].filter((part) => part !== '').join(' ');
  if (patient !== '') lines.push(`  Patient:          ${patient}`);
  if (series.studyDate !== '') lines.push(`  Study date:       ${series.studyDate}`);
  if (series.studyInstanceUid !== '') lines.push(`  Study UID:        ${series.studyInstanceUid}`);
  if (series.seriesInstanceUid !== '') lines.push(`  Series UID:       ${series.seriesInstanceUid}${series.seriesNumber === null ? '' : `  (number ${series.seriesNumber})`}`);
  lines.push(`  Slices:           ${series.sliceCount}`);
  if (series.rows > 0) lines.push(`  Rows x columns:   ${series.rows} x ${series.columns}`);
  const g = series.geometry;
  if (g !== null) {
    lines.push(`  Pixel spacing:    ${mm(g.spacingMm[1])} (rows) x ${mm(g.spacingMm[0])} (columns)`);
    lines.push(`  Slice spacing:    ${mm(g.spacingMm[2])}`);
    lines.push(`  Orientation:      ${g.orientation}  (row ${vec(g.direction[0])}; column ${vec(g.direction[1])}; normal ${vec(g.direction[2])})`);
    lines.push(`  Origin:           ${vec(g.originMm)} mm (LPS)`);
  }
  if (series.problems.length === 0) lines.push('  Problems:         none');
  else {
    lines.push(`  Problems (${series.problems.length}):`);
    for (const problem of series.problems) lines.push(`    - ${problem.code}: ${problem.message}`);
  }
  return lines.join('\n');
}

/** The human-readable report. */
export function formatInspectReport(report: ImportReport): string {
  const parts = report.series.map(formatSeries);
  parts.push(`Files scanned: ${report.filesScanned}; series: ${report.series.length}; refused: ${report.refused.length}; skipped (not DICOM): ${report.skippedNonDicom}`);
  for (const missing of report.notFound) parts.push(`Folder not found: ${missing}`);
  if (report.refused.length > 0) parts.push(['Refused files:', ...report.refused.map((file) => `  ${file.path}\n    ${file.reason}`)].join('\n'));
  return parts.join('\n\n');
}

export interface InspectOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const consoleOutput: InspectOutput = { out: (text) => console.log(text), err: (text) => console.error(text) };

/** Runs `macl inspect` with the arguments after the command name; returns the exit code. */
export async function runInspectCommand(args: readonly string[], io: InspectOutput = consoleOutput): Promise<number> {
  const { out, err } = io;
  const parsed = parseArgs(args, { json: { kind: 'flag' }, help: { kind: 'flag', short: 'h' } });
  if ('error' in parsed) {
    err(`${parsed.error}\n\n${inspectUsage}`);
    return 2;
  }
  if (parsed.values.help === true) {
    out(inspectUsage);
    return 0;
  }
  const json = parsed.values.json === true;
  const paths = parsed.positionals;
  if (paths.length === 0) {
    err(`Give at least one PATH.\n\n${inspectUsage}`);
    return 2;
  }
  const missing = paths.filter((entry) => !existsSync(entry));
  if (missing.length > 0) {
    err(`No such file or folder: ${missing.join(', ')}`);
    return 1;
  }
  const { report } = await scanForImport(paths, { thumbnails: false });
  out(json ? JSON.stringify(report, null, 2) : formatInspectReport(report));
  return 0;
}
