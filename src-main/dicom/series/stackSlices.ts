/**
 * Sorts the slices of one partition (same size, same orientation) along the
 * slice normal, ImagePositionPatient · (row × column), never by file name or
 * instance number alone, and sorts out images that share positions: a cine
 * (one position), echoes or phases (every position repeated k times: split
 * into k stacks), or stray duplicates (kept once, reported).
 */
import type { SeriesProblem } from '../../shared/contract/series';
import { compareAcquisitionOrder, type SliceRef } from './sliceRef';
import { cross, dot, normalize, type Vec3 } from '../../shared/geometry/vec3';

export interface PositionedSlice extends SliceRef {
  /** Position along the normal (mm); null for slices without geometry. */
  readonly positionMm: number | null;
}

export interface Stack {
  readonly slices: PositionedSlice[];
  readonly normal: Vec3 | null;
  readonly problems: SeriesProblem[];
}

/** Positions closer than this are the same position. */
const samePositionMm = 0.01;
const mm = (value: number): string => `${Number(value.toFixed(2))} mm`;

function withoutGeometry(slices: readonly SliceRef[]): Stack {
  const sorted = [...slices].sort(compareAcquisitionOrder).map((slice) => ({ ...slice, positionMm: null }));
  return {
    slices: sorted,
    normal: null,
    problems: [
      {
        code: 'no-geometry',
        message: `${sorted.length} image(s) without ImagePositionPatient/ImageOrientationPatient: kept in acquisition order (instance, frame); positions and spacing are placeholders.`,
      },
    ],
  };
}

/** Groups ascending positioned slices into runs at the same position. */
function clusters(sorted: readonly PositionedSlice[]): PositionedSlice[][] {
  const groups: PositionedSlice[][] = [];
  for (const slice of sorted) {
    const last = groups[groups.length - 1];
    const lastPosition = last?.[0]?.positionMm;
    if (last !== undefined && lastPosition !== undefined && lastPosition !== null && Math.abs((slice.positionMm ?? 0) - lastPosition) <= samePositionMm) last.push(slice);
    else groups.push([slice]);
  }
  return groups.map((group) => group.sort(compareAcquisitionOrder));
}

/** Sorts one partition into one or more stacks (see the module comment). */
export function stackSlices(slices: readonly SliceRef[]): Stack[] {
  const first = slices[0];
  const orientation = first?.geometry.orientation ?? null;
  if (first === undefined || orientation === null || slices.some((slice) => slice.geometry.position === null)) return [withoutGeometry(slices)];
  const normal = normalize(cross(orientation[0], orientation[1]));
  const positioned: PositionedSlice[] = slices.map((slice) => ({ ...slice, positionMm: dot(slice.geometry.position ?? [0, 0, 0], normal) }));
  positioned.sort((a, b) => (a.positionMm ?? 0) - (b.positionMm ?? 0) || compareAcquisitionOrder(a, b));
  const groups = clusters(positioned);
  if (groups.length === positioned.length) return [{ slices: positioned, normal, problems: [] }];

  if (groups.length === 1) {
    const only = groups[0] ?? [];
    return [
      {
        slices: only,
        normal,
        problems: [
          {
            code: 'duplicate-position',
            message: `All ${only.length} images share one position (${mm(only[0]?.positionMm ?? 0)}): a time series or cine, not a volume; kept in acquisition order.`,
            positionsMm: [only[0]?.positionMm ?? 0],
          },
        ],
      },
    ];
  }

  const repeats = groups[0]?.length ?? 1;
  if (groups.every((group) => group.length === repeats)) {
    const message = `Each of ${groups.length} positions holds ${repeats} images (echoes or phases): split into ${repeats} stacks by echo, temporal position, acquisition and instance number.`;
    return Array.from({ length: repeats }, (_, j) => ({
      slices: groups.map((group) => group[j]).filter((slice): slice is PositionedSlice => slice !== undefined),
      normal,
      problems: [{ code: 'duplicate-position', message }],
    }));
  }

  const kept: PositionedSlice[] = [];
  const dropped: PositionedSlice[] = [];
  const positions: number[] = [];
  for (const group of groups) {
    const [head, ...rest] = group;
    if (head !== undefined) kept.push(head);
    if (rest.length > 0) {
      dropped.push(...rest);
      positions.push(Math.round((head?.positionMm ?? 0) * 1000) / 1000);
    }
  }
  const names = dropped.slice(0, 5).map((slice) => `${slice.path.split(/[\\/]/).pop() ?? slice.path}${slice.frame === null ? '' : ` frame ${slice.frame + 1}`}`);
  return [
    {
      slices: kept,
      normal,
      problems: [
        {
          code: 'duplicate-position',
          message: `${dropped.length} image(s) repeat a position already filled (at ${positions.map(mm).join(', ')}); the first by acquisition order is used, ignored: ${names.join(', ')}${dropped.length > names.length ? ', …' : ''}.`,
          positionsMm: positions,
        },
      ],
    },
  ];
}
