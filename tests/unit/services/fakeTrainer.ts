/**
 * A trainer without a process: the real trainer contract served over an
 * in-memory transport pair, with a probe and crashes the test controls.
 */
import type { BackendPreference, ProbeReport } from '../../../src-main/shared/contract/compute';
import { err, ok, type Result } from '../../../src-main/shared/result';
import { createMemoryTransportPair } from '../../../src-main/shared/rpc/memoryTransport';
import { serveContract, type ServiceHandlers } from '../../../src-main/shared/rpc/server';
import type { Unsubscribe } from '../../../src-main/shared/rpc/transport';
import type { SpawnTrainer, TrainerExit } from '../../../src-main/services/trainerSpawner';
import { trainerContract, type TrainerContract } from '../../../src-main/shared/contract/trainer/protocol';

export interface FakeTrainer {
  readonly pid: number;
  readonly env: Readonly<Record<string, string>>;
  readonly killed: boolean;
  readonly exited: boolean;
  /** Ends the fake process as a crash would. */
  crash(exit?: TrainerExit): void;
}

export interface FakeTrainerBehaviour {
  /** Answers probe calls; default: a usable cpu report. */
  probe?: (preference: BackendPreference, trainer: FakeTrainer) => Promise<Result<ProbeReport>> | Result<ProbeReport>;
  /** Runs right after each spawn (e.g. to crash at once). */
  onSpawn?: (trainer: FakeTrainer, index: number) => void;
  /** Serves the interactive session calls and stream (session service tests); default: refused. */
  interactive?: (trainer: FakeTrainer) => InteractiveHandlers;
  /** Serves the pretrain stream (job service tests); default: refused. */
  pretrain?: ServiceHandlers<TrainerContract>['streams']['pretrain'];
}

/** The trainer contract's interactive calls and stream, as a fake serves them. */
export type InteractiveHandlers = Pick<ServiceHandlers<TrainerContract>['calls'], 'interactive.labels' | 'interactive.focus' | 'interactive.control'> &
  Pick<ServiceHandlers<TrainerContract>['streams'], 'interactive'>;

const refused = (): never => {
  throw new Error('The fake trainer runs no interactive sessions.');
};

export function cpuReport(preference: BackendPreference): ProbeReport {
  const cpu = { backend: 'cpu', usable: true, device: 'Fake CPU', gflops: 1, stepMs: 100, reason: null } as const;
  return { preference, chosen: cpu, probes: [cpu], workload: 'fake' };
}

export function probeError(message: string): Result<ProbeReport> {
  return err('internal', message);
}

export function createFakeSpawner(behaviour: FakeTrainerBehaviour = {}): { spawn: SpawnTrainer; trainers: FakeTrainer[] } {
  const trainers: FakeTrainer[] = [];
  const spawn: SpawnTrainer = ({ env }) => {
    const [parentSide, childSide] = createMemoryTransportPair();
    const exitListeners = new Set<(exit: TrainerExit) => void>();
    let exitInfo: TrainerExit | null = null;
    let killed = false;
    const exit = (info: TrainerExit): void => {
      if (exitInfo !== null) return;
      exitInfo = info;
      server.dispose();
      parentSide.close('fake trainer exited');
      queueMicrotask(() => {
        for (const listener of [...exitListeners]) listener(info);
      });
    };
    const trainer: FakeTrainer = {
      pid: 1000 + trainers.length,
      env,
      get killed() {
        return killed;
      },
      get exited() {
        return exitInfo !== null;
      },
      crash: (info = { code: null, signal: 'SIGSEGV' }) => exit(info),
    };
    const interactive: InteractiveHandlers = behaviour.interactive?.(trainer) ?? {
      'interactive.labels': refused,
      'interactive.focus': refused,
      'interactive.control': refused,
      interactive: refused,
    };
    const server = serveContract(
      trainerContract,
      {
        calls: {
          probe: ({ preference }) => (behaviour.probe ?? ((p) => ok(cpuReport(p))))(preference, trainer),
          ping: () => ok({ pid: trainer.pid, uptimeMs: 1 }),
          'interactive.labels': interactive['interactive.labels'],
          'interactive.focus': interactive['interactive.focus'],
          'interactive.control': interactive['interactive.control'],
        },
        // The supervisor tests never start jobs: a job reaching the fake is a test bug, said loudly.
        streams: {
          pretrain: behaviour.pretrain ?? (() => Promise.reject(new Error('The fake trainer runs no pretrain jobs.'))),
          finetune: () => Promise.reject(new Error('The fake trainer runs no finetune jobs.')),
          infer: () => Promise.reject(new Error('The fake trainer runs no infer jobs.')),
          interactive: interactive.interactive,
        },
      },
      childSide,
    );
    trainers.push(trainer);
    behaviour.onSpawn?.(trainer, trainers.length - 1);
    return {
      pid: trainer.pid,
      transport: parentSide,
      onExit(listener): Unsubscribe {
        if (exitInfo !== null) {
          const known = exitInfo;
          queueMicrotask(() => listener(known));
          return () => undefined;
        }
        exitListeners.add(listener);
        return () => exitListeners.delete(listener);
      },
      kill() {
        killed = true;
        exit({ code: null, signal: 'SIGKILL' });
      },
    };
  };
  return { spawn, trainers };
}
