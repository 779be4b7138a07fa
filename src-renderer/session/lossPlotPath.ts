/**
 * The SVG geometry of the loss plot: a polyline over the steps, the loss on
 * a log scale when it spans more than a decade (early fine-tuning losses
 * fall fast), plus the axis ends to print. Pure, so it is tested without a DOM.
 */
import type { LossPoint } from './lossHistory';

export interface LossPlotGeometry {
  /** `points` attribute of an SVG polyline in a width x height box; '' with fewer than 2 points. */
  readonly polyline: string;
  readonly stepRange: readonly [number, number];
  readonly lossRange: readonly [number, number];
  readonly logScale: boolean;
}

export function lossPlotGeometry(points: readonly LossPoint[], width: number, height: number): LossPlotGeometry | null {
  if (points.length === 0) return null;
  let minLoss = Infinity;
  let maxLoss = -Infinity;
  for (const point of points) {
    minLoss = Math.min(minLoss, point.loss);
    maxLoss = Math.max(maxLoss, point.loss);
  }
  const firstStep = points[0]?.step ?? 0;
  const lastStep = points[points.length - 1]?.step ?? 0;
  const logScale = minLoss > 0 && maxLoss / minLoss > 10;
  const scale = (loss: number): number => (logScale ? Math.log10(loss) : loss);
  const low = scale(minLoss);
  const high = scale(maxLoss);
  const spanY = high - low || 1;
  const spanX = lastStep - firstStep || 1;
  const polyline = points.length < 2
    ? ''
    : points.map((point) => {
      const x = ((point.step - firstStep) / spanX) * width;
      const y = height - ((scale(point.loss) - low) / spanY) * height;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    }).join(' ');
  return { polyline, stepRange: [firstStep, lastStep], lossRange: [minLoss, maxLoss], logScale };
}
