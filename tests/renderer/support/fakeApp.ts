/**
 * A fake implementation of the app contract, served in memory with the real
 * RPC server, and an AppConnection over it: the stores under test talk to it
 * exactly as they talk to Electron main or the browser host.
 */
import { appContract, type AppContract, type AppInfo } from '../../../src-main/shared/contract/appContract';
import type { BackendPreference, BackendProbe, TrainerStatus } from '../../../src-main/shared/contract/compute';
import { createMemoryTransportPair } from '../../../src-main/shared/rpc/memoryTransport';
import { serveContract, type ServiceHandlers } from '../../../src-main/shared/rpc/server';
import { err, ok, type Result } from '../../../src-main/shared/result';
import { connectionOverTransport, type AppConnection } from '../../../src-renderer/bridge/appConnection';

export const cpuProbe: BackendProbe = {
  backend: 'cpu', usable: true, device: 'CPU (JavaScript)', gflops: 1.25, stepMs: 412.3, reason: null,
};
export const gpuProbe: BackendProbe = {
  backend: 'tensorflow', usable: true, device: 'NVIDIA H100 80GB HBM3', gflops: 1843.2, stepMs: 1.9, reason: null,
};
export const webgpuProbe: BackendProbe = {
  backend: 'webgpu', usable: false, device: 'none', gflops: null, stepMs: null, reason: 'No WebGPU adapter was found.',
};

/** A status with a finished probe that chose `chosen`. */
export function makeStatus(overrides: Partial<TrainerStatus> = {}, chosen: BackendProbe = cpuProbe): TrainerStatus {
  return {
    state: 'ready',
    preference: 'auto',
    report: { preference: 'auto', chosen, probes: [chosen, webgpuProbe], workload: '4x32x32x8 conv, 3x3 to 16, forward and backward' },
    pid: 4242,
    restarts: 0,
    message: null,
    since: 1_000,
    ...overrides,
  };
}

export const fakeInfo: AppInfo = { name: 'MACL Workstation', version: '0.1.0-test', host: 'browser', platform: 'linux-x64' };

export interface FakeApp {
  readonly connection: AppConnection;
  /** Every trainer.setBackend / trainer.restart the app received. */
  readonly received: Array<{ method: 'trainer.setBackend'; preference: BackendPreference } | { method: 'trainer.restart' }>;
  /** Changes the status and streams it to every subscriber. */
  publish(status: TrainerStatus): void;
  current(): TrainerStatus;
  subscriberCount(): number;
  /** Makes the next action call fail with this error. */
  failNextAction(message: string): void;
}

export function startFakeApp(initial: TrainerStatus = makeStatus()): FakeApp {
  const [clientSide, serverSide] = createMemoryTransportPair();
  let status = initial;
  let nextFailure: string | null = null;
  const subscribers = new Set<(status: TrainerStatus) => void>();
  const received: FakeApp['received'] = [];

  const publish = (next: TrainerStatus): void => {
    status = next;
    for (const emit of subscribers) emit(next);
  };
  const act = (change: Partial<TrainerStatus>): Result<TrainerStatus> => {
    if (nextFailure !== null) {
      const message = nextFailure;
      nextFailure = null;
      return err('unavailable', message);
    }
    publish({ ...status, ...change, since: status.since + 1 });
    return ok(status);
  };

  const handlers: ServiceHandlers<AppContract> = {
    calls: {
      'app.info': () => ok(fakeInfo),
      'trainer.status': () => ok(status),
      'trainer.setBackend': ({ preference }) => {
        received.push({ method: 'trainer.setBackend', preference });
        return act({ preference, state: 'starting' });
      },
      'trainer.restart': () => {
        received.push({ method: 'trainer.restart' });
        return act({ state: 'starting' });
      },
    },
    streams: {
      'trainer.statusUpdates': (_params, emit, signal) =>
        new Promise<void>((resolve) => {
          emit(status);
          subscribers.add(emit);
          signal.onCancel(() => {
            subscribers.delete(emit);
            resolve();
          });
        }),
    },
  };
  serveContract(appContract, handlers, serverSide);

  return {
    connection: connectionOverTransport(clientSide, 'browser'),
    received,
    publish,
    current: () => status,
    subscriberCount: () => subscribers.size,
    failNextAction(message) {
      nextFailure = message;
    },
  };
}
