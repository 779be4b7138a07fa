/**
 * The process the crash test kills. Bundled to a .cjs by the test and run as
 * `node crashChild.cjs <workspace> <seed>`: it opens the label store of the
 * workspace, checks that what it loads is exactly the edit stream's state at
 * that revision, then applies the stream's edits from there on, saving where
 * the stream says, and prints `saved <revision>` after each completed save,
 * until it is killed.
 */
import { writeSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { createLabelService } from '../../../../src-main/labels/labelService';
import { crashGrid, LabelEditStream } from './labelEditStream';
import { imageSeriesId, seriesSource } from '../labelFixtures';

/** Synchronous, so a line is in the pipe before the next instruction runs. */
function say(line: string): void {
  writeSync(1, `${line}\n`);
}

async function main(): Promise<void> {
  const [workspaceDir, seedText] = process.argv.slice(2);
  if (workspaceDir === undefined || seedText === undefined) throw new Error('usage: crashChild <workspace> <seed>');
  // A child the parent failed to kill must not linger.
  setTimeout(() => {
    say('error: not killed within 30 s');
    process.exit(5);
  }, 30_000).unref();
  const store = createLabelService({ workspaceDir, series: seriesSource(crashGrid) });
  const loaded = await store.load(imageSeriesId);
  const stream = new LabelEditStream(Number(seedText));
  while (stream.currentRevision < loaded.revision) stream.next();
  const expected = stream.state();
  const actual = { revision: loaded.revision, strokes: loaded.strokes, accepted: loaded.accepted, segments: loaded.segments };
  if (!isDeepStrictEqual(actual, expected)) {
    say(`mismatch: the file at revision ${loaded.revision} differs from the stream's state`);
    process.exit(3);
  }
  say(`loaded ${loaded.revision}`);
  for (;;) {
    const step = stream.next();
    await store.apply(imageSeriesId, step.edit);
    if (!step.saveAfter) continue;
    const status = await store.flush(imageSeriesId);
    if (status.state !== 'saved') {
      say(`error: save failed: ${status.message ?? status.state}`);
      process.exit(4);
    }
    say(`saved ${status.savedRevision}`);
  }
}

main().catch((error: unknown) => {
  say(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
