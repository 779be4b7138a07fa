/**
 * STOW-RS of DICOM files (the exported DICOM-SEG) to a server, and the
 * server's store report read into accepted instances, warnings and failures
 * with the server's reasons.
 */
import { readFile } from 'node:fs/promises';
import dicomParser from 'dicom-parser';
import type { StoreResult } from '../shared/contract/pacs';
import { integerOf, itemsOf, tags, textOf, type DicomJsonDataset } from './dicomJson';
import type { PacsClient } from './pacsClient';
import { PacsError } from './pacsError';

/** Failure and warning reasons of PS3.18 (STOW-RS) and PS3.4 (C-STORE status codes) by value. */
const reasonText: Readonly<Record<number, string>> = {
  0x0110: 'processing failure',
  0x0122: 'SOP class not supported',
  0xa700: 'out of resources',
  0xa900: 'data set does not match SOP class',
  0xc000: 'cannot understand',
  0xb000: 'coercion of data elements',
  0xb006: 'elements discarded',
  0xb007: 'data set does not match SOP class (stored anyway)',
  0xc122: 'referenced transfer syntax not supported',
};

const describeReason = (code: number | null): string =>
  code === null ? 'no reason given' : `${reasonText[code] ?? 'status'} (0x${code.toString(16).toUpperCase().padStart(4, '0')})`;

/** The store report (PS3.18 Store Instances Response Module) as a StoreResult. */
export function storeResultOf(server: string, report: DicomJsonDataset | null, sent: readonly string[]): StoreResult {
  if (report === null) return { server, accepted: [...sent], warnings: ['The server sent no store report; it answered success.'], failures: [] };
  const accepted = itemsOf(report, tags.referencedSopSequence).map((item) => textOf(item, tags.referencedSopInstanceUid));
  const warnings = itemsOf(report, tags.referencedSopSequence)
    .filter((item) => integerOf(item, tags.warningReason) !== null)
    .map((item) => `${textOf(item, tags.referencedSopInstanceUid)}: ${describeReason(integerOf(item, tags.warningReason))}`);
  const overall = integerOf(report, tags.warningReason);
  if (overall !== null) warnings.unshift(describeReason(overall));
  const failures = itemsOf(report, tags.failedSopSequence).map((item) => ({
    sopInstanceUid: textOf(item, tags.referencedSopInstanceUid),
    reason: describeReason(integerOf(item, tags.failureReason)),
  }));
  return { server, accepted, warnings, failures };
}

/** Reads the SOP Instance UID and Study Instance UID of a Part 10 file, cheaply (dicom-parser). */
function uidsOf(file: string, bytes: Uint8Array): { sop: string; study: string } {
  try {
    const dataSet = dicomParser.parseDicom(bytes, { untilTag: 'x0020000e' });
    return { sop: dataSet.string('x00080018') ?? '', study: dataSet.string('x0020000d') ?? '' };
  } catch (thrown) {
    throw new PacsError('bad-request', `${file} is not a DICOM file (${thrown instanceof Error ? thrown.message : String(thrown)}).`);
  }
}

/** Sends `files` (one study) with STOW-RS; a server that refuses them all gives a result with failures, not a throw. */
export async function sendFiles(client: PacsClient, files: readonly string[], signal?: AbortSignal): Promise<StoreResult> {
  const contents = await Promise.all(files.map(async (file) => {
    const bytes = await readFile(file).catch((thrown: unknown) => {
      throw new PacsError('bad-request', `Cannot read ${file}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    });
    return { file, bytes: new Uint8Array(bytes), ...(uidsOf(file, new Uint8Array(bytes))) };
  }));
  const studies = new Set(contents.map((content) => content.study));
  const study = studies.size === 1 ? ([...studies][0] ?? '') : '';
  const report = await client.storeInstances(contents.map((content) => content.bytes), study === '' ? null : study, signal);
  return storeResultOf(client.label, report, contents.map((content) => content.sop));
}
