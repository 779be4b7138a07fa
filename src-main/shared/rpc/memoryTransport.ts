/**
 * Two connected in-memory transports. Messages are structured-cloned and
 * delivered asynchronously, as a real process boundary would, so code tested
 * over this pair cannot depend on shared object identity or synchronous replies.
 */
import type { Transport, Unsubscribe } from './transport';
import type { WireMessage } from './wire';

type Clone = <T>(value: T) => T;

function defaultClone(): Clone {
  const candidate = (globalThis as { structuredClone?: Clone }).structuredClone;
  if (candidate === undefined) throw new Error('structuredClone is not available in this runtime.');
  return candidate;
}

export function createMemoryTransportPair(clone: Clone = defaultClone()): [Transport, Transport] {
  const messageListeners: [Set<(m: unknown) => void>, Set<(m: unknown) => void>] = [new Set(), new Set()];
  const closeListeners: [Set<(r: string) => void>, Set<(r: string) => void>] = [new Set(), new Set()];
  let closed = false;

  const closeBoth = (reason: string): void => {
    if (closed) return;
    closed = true;
    void Promise.resolve().then(() => {
      for (const side of closeListeners) for (const listener of [...side]) listener(reason);
    });
  };

  const make = (self: 0 | 1): Transport => {
    const peer = self === 0 ? 1 : 0;
    return {
      send(message: WireMessage) {
        if (closed) return;
        const copy = clone(message);
        void Promise.resolve().then(() => {
          if (closed) return;
          for (const listener of [...messageListeners[peer]]) listener(copy);
        });
      },
      onMessage(listener): Unsubscribe {
        messageListeners[self].add(listener);
        return () => messageListeners[self].delete(listener);
      },
      onClose(listener): Unsubscribe {
        closeListeners[self].add(listener);
        return () => closeListeners[self].delete(listener);
      },
      close(reason = 'closed') {
        closeBoth(reason);
      },
    };
  };
  return [make(0), make(1)];
}
