/**
 * Which grid a series' labels cover: the series' sorted voxel grid from the
 * workspace index. Series without image geometry (SR, RTSTRUCT) cannot carry
 * labels and are refused with a message saying so.
 */
import type { SeriesGeometry, SeriesSummary } from '../shared/contract/series';
import { LabelError } from './labelError';
import type { LabelGrid } from './seriesLabels';

/** Where the label store looks series up (the ImportService fits). */
export interface LabelSeriesSource {
  listSeries(): readonly SeriesSummary[];
}

/** A series that can carry labels: its grid and geometry. */
export interface LabelSeries {
  readonly grid: LabelGrid;
  readonly geometry: SeriesGeometry;
}

const kindWords: Readonly<Record<SeriesSummary['kind'], string>> = {
  image: 'an image series',
  segmentation: 'a segmentation object',
  rtstruct: 'an RT structure set',
  'structured-report': 'a structured report',
  other: 'a non-image object',
};

/** The grid of `seriesId`; throws LabelError 'not-found' or 'unavailable'. */
export function labelSeriesOf(source: LabelSeriesSource, seriesId: string): LabelSeries {
  const summary = source.listSeries().find((entry) => entry.seriesId === seriesId);
  if (summary === undefined) throw new LabelError('not-found', `No series ${seriesId} in the workspace: import it before labelling it.`);
  const geometry = summary.geometry;
  if (geometry === null) {
    throw new LabelError('unavailable', `Series ${seriesId} is ${kindWords[summary.kind]} without an image grid: it cannot carry labels.`);
  }
  const [nx, ny, nz] = geometry.dimensions;
  return { grid: { seriesId, seriesInstanceUid: summary.seriesInstanceUid, dimensions: [nx, ny, nz] }, geometry };
}
