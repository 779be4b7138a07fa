import { describe, expect, it } from 'vitest';
import { createRestartPolicy } from '../../../src-main/services/trainerRestartPolicy';

describe('trainer restart policy', () => {
  it('backs off, then gives up after maxRestarts crashes within the window', () => {
    const policy = createRestartPolicy({ delaysMs: [500, 1000, 2000], maxRestarts: 3, windowMs: 60_000, now: () => 0 });
    expect(policy.recordCrash()).toEqual({ restart: true, delayMs: 500, attempt: 1, maxRestarts: 3 });
    expect(policy.recordCrash()).toMatchObject({ restart: true, delayMs: 1000, attempt: 2 });
    expect(policy.recordCrash()).toMatchObject({ restart: true, delayMs: 2000, attempt: 3 });
    expect(policy.recordCrash()).toEqual({ restart: false, crashes: 4, windowMs: 60_000 });
  });

  it('forgets crashes older than the window, and on reset', () => {
    let now = 0;
    const policy = createRestartPolicy({ delaysMs: [1, 2], maxRestarts: 2, windowMs: 1000, now: () => now });
    policy.recordCrash();
    policy.recordCrash();
    now = 5000;
    expect(policy.recordCrash()).toMatchObject({ restart: true, attempt: 1, delayMs: 1 });
    policy.recordCrash();
    policy.reset();
    expect(policy.recordCrash()).toMatchObject({ restart: true, attempt: 1 });
  });

  it('repeats the last delay', () => {
    const policy = createRestartPolicy({ delaysMs: [7], maxRestarts: 3 });
    policy.recordCrash();
    expect(policy.recordCrash()).toMatchObject({ delayMs: 7 });
  });
});
