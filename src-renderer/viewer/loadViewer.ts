/**
 * Loads the cornerstone viewer on first use, as its own chunk: the app shell
 * paints without waiting for the imaging libraries, and nothing but this
 * import reaches cornerstone (tests replace the factory with a fake).
 */
import type { Viewer } from './viewerApi';

/** Makes a viewer; the store calls it once. */
export type ViewerFactory = () => Promise<Viewer>;

/** The real factory: cornerstone in WebGL. */
export const loadViewer: ViewerFactory = async () => {
  const { createViewer } = await import('./createViewer');
  return createViewer();
};
