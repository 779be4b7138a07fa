/**
 * Fetches a series' DICOM files from the app and registers each with the
 * metadata module, which parses it (headers and pixel data) for the image
 * loader. The volume needs every slice's geometry before it can be created,
 * so all files come first; a few requests run at once to keep the link
 * busy without flooding the host.
 */
import { utilities as metadataUtilities } from '@cornerstonejs/metadata';
import type { SeriesFile } from './imageIds';
import { inflateIfDeflated } from './inflateDeflated';

/** Requests in flight at once. */
const concurrency = 6;

/** Fetches `files`, registering each; `onFile` after each one. Rejects on the first failure or on abort. */
export async function fetchSeriesFiles(files: readonly SeriesFile[], onFile: (done: number) => void, signal: AbortSignal): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++];
      if (file === undefined) return;
      signal.throwIfAborted();
      // Same origin: the browser host's session cookie goes with it; app:// needs nothing.
      const response = await fetch(file.url, { signal, credentials: 'same-origin' });
      if (!response.ok) throw new Error(`The app refused ${file.url}: HTTP ${response.status}.`);
      const bytes = await inflateIfDeflated(await response.arrayBuffer());
      signal.throwIfAborted();
      await metadataUtilities.addDicomPart10Instance(file.baseImageId, bytes);
      onFile(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
}
