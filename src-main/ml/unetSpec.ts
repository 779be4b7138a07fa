/**
 * The shape of the networks (docs/macl-method.md 1.1) and the argument checks their
 * factories share. Channel widths are f, 2f, 4f, 8f per encoder level and 16f
 * in the centre (32..512 for the default f = 32).
 */

/** What a segmentation U-Net is built from. JSON-able: it is stored with checkpoints. */
export interface UNetSpec {
  /** Input channels (1 for CT/MR; 4 for stacked modalities). */
  readonly inChannels: number;
  /** Base width f (default 32). */
  readonly width: number;
  /** Output classes K (background included), at least 2. */
  readonly classes: number;
}

/** What the MACL pre-training module is built from. */
export interface MaclSpec {
  readonly inChannels: number;
  readonly width: number;
}

/** f = 32, the reference width. */
export const defaultWidth = 32;
/** The U-Net halves the grid 4 times. */
export const unetDivisor = 16;
/** Pre-training at lambda = 0.25 needs the quarter-size input to be divisible by 16 (docs/macl-method.md 2.6). */
export const pretrainDivisor = 64;

/** Channels per encoder level 1..4 and the centre. */
export function levelChannels(width: number): { readonly levels: readonly [number, number, number, number]; readonly centre: number } {
  return { levels: [width, 2 * width, 4 * width, 8 * width], centre: 16 * width };
}

/**
 * Embedding size of both branches' pixel and instance projections: 4f, the
 * channels of decoder block 2 (128 at f = 32; the code's int(512 * 0.25)).
 */
export function projectionDim(width: number): number {
  return 4 * width;
}

function checkInteger(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${what} must be an integer from ${min} to ${max}, got ${value}.`);
  }
}

/** Throws a readable error unless width and inChannels are usable. */
export function checkMaclSpec(spec: MaclSpec, where: string): void {
  checkInteger(`${where}: width`, spec.width, 1, 256);
  checkInteger(`${where}: inChannels`, spec.inChannels, 1, 64);
}

/** Throws a readable error unless the U-Net spec is usable. */
export function checkUNetSpec(spec: UNetSpec, where: string): void {
  checkMaclSpec(spec, where);
  if (!Number.isInteger(spec.classes) || spec.classes < 2 || spec.classes > 255) {
    throw new Error(`${where}: classes must be an integer from 2 (background + 1 structure) to 255 (labels are stored as uint8), got ${spec.classes}.`);
  }
}

/** Throws unless x is [B, H, W, inChannels] with H and W divisible by `divisor` (and B >= minBatch). */
export function checkInput(where: string, shape: readonly number[], inChannels: number, divisor: number, minBatch = 1): void {
  if (shape.length !== 4) throw new Error(`${where}: input must be [batch, height, width, channels], got [${shape.join(', ')}].`);
  const [b = 0, h = 0, w = 0, c = 0] = shape;
  if (c !== inChannels) throw new Error(`${where}: input has ${c} channels, the model expects ${inChannels}.`);
  if (h % divisor !== 0 || w % divisor !== 0 || h === 0 || w === 0) {
    const why = divisor === pretrainDivisor ? ' (the x0.25 dominant view must pass 4 poolings)' : ' (4 poolings of 2)';
    throw new Error(`${where}: height and width must be positive multiples of ${divisor}${why}, got ${h}x${w}.`);
  }
  if (b < minBatch) throw new Error(`${where}: batch must be at least ${minBatch} (batch norm and the contrastive losses need several slices), got ${b}.`);
}
