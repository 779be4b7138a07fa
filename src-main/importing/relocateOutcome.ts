/**
 * What relocating a series' files gives: the files found again, or why not.
 * Its own file so that the DICOM and the NIfTI relocation (seriesRelocate.ts,
 * niftiRelocate.ts) share it without importing each other.
 */
import type { IndexedSlice } from '../workspace/seriesIndex';

export type RelocateOutcome = { readonly slices: IndexedSlice[] } | { readonly refused: string; readonly code: 'not-found' | 'bad-request' };
