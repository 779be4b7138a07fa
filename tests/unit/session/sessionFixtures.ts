/**
 * Parts for the session service tests: an in-process "trainer" whose
 * interactive stream is the real one (runInteractiveJob on tfjs's cpu
 * backend) behind the fake spawner, so the real supervisor can crash and
 * restart it; segments and label edits for the phantom.
 */
import type { Segment } from '../../../src-main/shared/contract/labels';
import { runsToBytes, runsFromChanges } from '../../../src-main/shared/labels/labelRuns';
import { ok } from '../../../src-main/shared/result';
import { LiveSessions, runInteractiveJob } from '../../../src-main/trainer/jobs/interactiveJob';
import type { FakeTrainer, InteractiveHandlers } from '../services/fakeTrainer';

/** Interactive handlers backed by the real session code, one LiveSessions per fake process. */
export function inProcessInteractive(): (trainer: FakeTrainer) => InteractiveHandlers {
  return () => {
    const sessions = new LiveSessions();
    return {
      'interactive.labels': ({ sessionId, ...delta }) => ok(sessions.get(sessionId).labels(delta)),
      'interactive.focus': ({ sessionId, k }) => ok(sessions.get(sessionId).setFocus(k)),
      'interactive.control': async ({ sessionId, action }) => ok(await sessions.get(sessionId).control(action)),
      interactive: (params, emit, signal) => runInteractiveJob(params, { emit, signal, backend: { kind: 'cpu', device: 'in-process test trainer' }, sessions }),
    };
  };
}

const anatomical = { scheme: 'SCT', value: '123037004', meaning: 'Anatomical Structure' };

/** Segments 1..n for the phantom's structures. */
export function phantomSegments(n = 2): Segment[] {
  return Array.from({ length: n }, (_, i) => ({
    label: i + 1,
    name: `structure ${i + 1}`,
    color: i === 0 ? '#ff0000' : '#00ff00',
    visible: true,
    locked: false,
    category: anatomical,
    type: { scheme: 'SCT', value: '10200004', meaning: 'Liver' },
  }));
}

/** The changed voxels between two layers as label runs in bytes (what the renderer sends). */
export function layerDiff(before: Uint8Array, after: Uint8Array): Uint8Array {
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < after.length; i++) {
    if (before[i] !== after[i]) {
      indices.push(i);
      values.push(after[i] as number);
    }
  }
  return runsToBytes(runsFromChanges(Uint32Array.from(indices), Uint8Array.from(values)));
}
