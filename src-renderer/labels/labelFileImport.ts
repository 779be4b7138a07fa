/**
 * Label files read back onto the open series, on the document side:
 * a DICOM-SEG's voxels (runs for the accepted layer, from labels.importSeg)
 * merged with its segments into the document as one undo step, and what a
 * NIfTI import (a new stored state from labels.importNifti) changed, for the
 * message the user reads.
 */
import type { Segment } from '../../src-main/shared/contract/labels';
import type { ImportSegResult } from '../../src-main/shared/contract/segApi';
import { decodeRuns, runsVoxelCount } from '../../src-main/shared/labels/labelRuns';
import type { LabelDocument } from './labelDocument';
import { LabelEditError } from './labelEditError';
import { voxelCount } from './labelGrid';

/** What an import did, in the user's terms. */
export interface LabelImportSummary {
  /** Voxels the file placed (DICOM-SEG), or accepted voxels that changed (NIfTI). */
  readonly voxels: number;
  /** Names of the segments the import added. */
  readonly addedSegments: readonly string[];
  /** DICOM-SEG only: frames placed by their source reference / by position only, and voxels claimed by two segments. */
  readonly framesByReference?: number;
  readonly framesByPosition?: number;
  readonly overlappingVoxels?: number;
}

/**
 * The document's segments followed by those of `imported` it does not have
 * (by label). The app built `imported` from the same list, so a label both
 * carry for different segments means the list changed in between.
 */
export function mergeImportedSegments(current: readonly Segment[], imported: readonly Segment[]): Segment[] {
  const byLabel = new Map(current.map((segment) => [segment.label, segment]));
  const added: Segment[] = [];
  for (const segment of imported) {
    const existing = byLabel.get(segment.label);
    if (existing === undefined) added.push({ ...segment });
    else if (existing.name !== segment.name) {
      throw new LabelEditError(`The segments of this series changed while the file was read (label ${segment.label} is now "${existing.name}", not "${segment.name}"). Nothing was imported; import it again.`);
    }
  }
  return [...current, ...added];
}

/** Writes a labels.importSeg answer into the document's accepted layer with its segments, as one undo step. */
export function applySegImport(document: LabelDocument, result: ImportSegResult, file: string): LabelImportSummary {
  const runs = decodeRuns(result.runs, voxelCount(document.grid));
  const voxels = runsVoxelCount(runs);
  if (voxels === 0) throw new LabelEditError(`${file} places no voxels on this series (none of its frames matches a slice). Nothing was imported.`);
  const known = new Set(document.segments.map((segment) => segment.label));
  const merged = mergeImportedSegments(document.segments, result.segments);
  document.mergeIntoAccepted(runs, merged);
  return {
    voxels,
    addedSegments: merged.filter((segment) => !known.has(segment.label)).map((segment) => segment.name),
    framesByReference: result.framesByReference,
    framesByPosition: result.framesByPosition,
    overlappingVoxels: result.overlappingVoxels,
  };
}

/** What a NIfTI import changed: accepted voxels whose value differs, and the segments it added. */
export function describeNiftiImport(before: LabelDocument, after: LabelDocument): LabelImportSummary {
  let voxels = 0;
  const a = before.accepted;
  const b = after.accepted;
  for (let v = 0; v < b.length; v++) if (a[v] !== b[v]) voxels++;
  const known = new Set(before.segments.map((segment) => segment.label));
  return { voxels, addedSegments: after.segments.filter((segment) => !known.has(segment.label)).map((segment) => segment.name) };
}

/** One sentence for the user. */
export function describeImport(summary: LabelImportSummary, file: string): string {
  const added = summary.addedSegments.length === 0 ? '' : ` New segment${summary.addedSegments.length === 1 ? '' : 's'}: ${summary.addedSegments.join(', ')}.`;
  const placed = summary.framesByReference === undefined ? '' : ` Frames placed by source reference: ${summary.framesByReference}, by position only: ${summary.framesByPosition ?? 0}.`;
  const overlap = (summary.overlappingVoxels ?? 0) > 0 ? ` ${summary.overlappingVoxels} voxels belonged to more than one segment; the later segment kept them.` : '';
  return `Imported ${file}: ${summary.voxels} voxel${summary.voxels === 1 ? '' : 's'} into the accepted masks.${added}${placed}${overlap}`;
}
