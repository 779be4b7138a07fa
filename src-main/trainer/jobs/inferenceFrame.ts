/**
 * What inference needs to know of the data a network version was trained on:
 * the box its slices were cropped to (ml/strokeBox.ts) and the class weights
 * that undo the strokes' prior (ml/strokePrior.ts). The interactive session
 * keeps one for the data in training and copies it with the weights into
 * each version, so a version is always segmented as it was trained.
 */
import type { SliceBox } from '../../ml/strokeBox';

export interface InferenceFrame {
  /** The training slices' box; null: whole slices. */
  readonly roi: SliceBox | null;
  /** Per class; null: plain argmax. */
  readonly classWeights: readonly number[] | null;
}
