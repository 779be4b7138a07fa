import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ForkOptions } from 'electron';
import { createUtilityTrainerSpawner, trainerServiceName, type UtilityChild } from '../../../src-main/app/utilityTrainer';

class FakeChild extends EventEmitter {
  pid: number | undefined = undefined;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly posted: unknown[] = [];
  kills = 0;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.kills++;
    return true;
  }
}

function setup() {
  const forks: Array<{ modulePath: string; args: string[]; options: ForkOptions }> = [];
  const child = new FakeChild();
  const logged: string[] = [];
  const spawn = createUtilityTrainerSpawner({
    fork: (modulePath, args, options) => {
      forks.push({ modulePath, args, options });
      return child as unknown as UtilityChild;
    },
    modulePath: '/app/dist/main/trainer.cjs',
    baseEnv: { PATH: '/usr/bin', UNSET: undefined, VK_ICD_FILENAMES: 'old' },
    log: (line) => logged.push(line),
  });
  const trainer = spawn({ env: { VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' } });
  return { forks, child, logged, trainer };
}

describe('utilityProcess trainer spawner', () => {
  it('forks the trainer bundle as a named utility process with piped stdio and merged env', () => {
    const { forks } = setup();
    expect(forks).toEqual([
      {
        modulePath: '/app/dist/main/trainer.cjs',
        args: [],
        options: {
          serviceName: trainerServiceName,
          stdio: 'pipe',
          env: { PATH: '/usr/bin', VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' },
        },
      },
    ]);
  });

  it('carries messages both ways over the process port', () => {
    const { child, trainer } = setup();
    const received: unknown[] = [];
    trainer.transport.onMessage((message) => received.push(message));
    trainer.transport.send({ t: 'call', id: 1, method: 'ping', params: {} });
    child.emit('message', { t: 'reply', id: 1, result: { ok: true, value: {} } });
    expect(child.posted).toEqual([{ t: 'call', id: 1, method: 'ping', params: {} }]);
    expect(received).toEqual([{ t: 'reply', id: 1, result: { ok: true, value: {} } }]);
  });

  it('reports the pid once the process runs', () => {
    const { child, trainer } = setup();
    expect(trainer.pid).toBeNull();
    child.pid = 4242;
    expect(trainer.pid).toBe(4242);
  });

  it('closes the transport and reports the exit, once', async () => {
    const { child, trainer } = setup();
    const exits: unknown[] = [];
    const closes: string[] = [];
    trainer.onExit((exit) => exits.push(exit));
    trainer.transport.onClose((reason) => closes.push(reason));
    child.emit('exit', 134);
    expect(exits).toEqual([{ code: 134, signal: null }]);
    expect(closes).toEqual(['trainer exited with code 134']);
    trainer.transport.send({ t: 'cancel', runId: 'x' });
    expect(child.posted).toEqual([]);
    trainer.kill();
    expect(child.kills).toBe(0);
    const late: unknown[] = [];
    trainer.onExit((exit) => late.push(exit));
    await Promise.resolve();
    expect(late).toEqual([{ code: 134, signal: null }]);
  });

  it('kills a running process', () => {
    const { child, trainer } = setup();
    trainer.kill();
    expect(child.kills).toBe(1);
  });

  it('forwards stdout and stderr line by line', () => {
    const { child, logged } = setup();
    child.stdout.write('probe: webgpu 12 GFLOP/s\npartial');
    child.stdout.write(' line\n');
    child.stderr.write('warning\n');
    expect(logged).toEqual(['[trainer] probe: webgpu 12 GFLOP/s', '[trainer] partial line', '[trainer:err] warning']);
  });
});
