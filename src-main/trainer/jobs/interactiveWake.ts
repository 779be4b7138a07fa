/**
 * A wake-up signal for a loop that sleeps until something changed (new
 * labels, a control request, a cancel): `sleep()` resolves at the next
 * `wake()`, or at once when a wake came while the loop was busy.
 */
export interface Wake {
  sleep(): Promise<void>;
  wake(): void;
}

export function createWake(): Wake {
  let pending = false;
  let resolveSleep: (() => void) | null = null;
  return {
    sleep() {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        resolveSleep = resolve;
      });
    },
    wake() {
      if (resolveSleep === null) {
        pending = true;
        return;
      }
      const resolve = resolveSleep;
      resolveSleep = null;
      resolve();
    },
  };
}
