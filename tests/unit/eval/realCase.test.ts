/**
 * A small case of the real-image suite (`macl eval-suite`,
 * docs/eval-protocol.md) as a regression floor: the brain of the ITK T1
 * (a real scan, 128 x 128 x 62) from strokes on 3 slices, fine-tuned from
 * scratch at the WASM backend's defaults. The floor sits below what the
 * current design reaches, to catch a change that breaks real images while
 * the phantom still passes; it is no target (those are the suite's).
 *
 * Needs the fetched data: scripts/fetch-real-data.sh itk (.ci/run runs it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveEvalSettings } from '../../../src-main/cli/backendDefaults';
import { defaultDataDir, MissingSuiteDataError, prepareSuiteCase, type PreparedCase } from '../../../src-main/eval/suiteData';
import { suiteCase } from '../../../src-main/eval/suiteCases';
import { runSuiteCase } from '../../../src-main/eval/suiteRun';
import { useWasm } from '../ml/helpers';

const floor = 0.75;
const steps = 60;

describe('real-image suite: ITK T1 brain, 3 stroked slices, WASM defaults', () => {
  let prepared: PreparedCase;
  beforeAll(async () => {
    await useWasm();
    try {
      prepared = await prepareSuiteCase(suiteCase('itk-brain'), defaultDataDir());
    } catch (thrown) {
      if (thrown instanceof MissingSuiteDataError) throw new Error(`This test needs the real data, which is not fetched: ${thrown.message}`, { cause: thrown });
      throw thrown;
    }
  });

  it(`reaches brain Dice >= ${floor} in ${steps} steps`, async () => {
    const backend = { kind: 'wasm', device: 'test' };
    const rows = await runSuiteCase(suiteCase('itk-brain'), prepared, {
      ks: [3],
      seeds: [1],
      steps,
      settingsFor: (p) => resolveEvalSettings(backend, {}, Math.max(p.width, p.height), undefined).settings,
      log: (line) => console.log(line),
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.backend).toBe('wasm');
    expect(rows[0]?.diceMean).toBeGreaterThanOrEqual(floor);
  }, 1_800_000);
});
