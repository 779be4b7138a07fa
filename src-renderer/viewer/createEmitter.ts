/**
 * A minimal typed event emitter: subscribe returns its own unsubscribe, and
 * a listener that throws cannot stop the others from hearing the event.
 */
import type { Unsubscribe } from './viewerApi';

/** Emits events of type E to its listeners. */
export interface Emitter<E> {
  emit(event: E): void;
  subscribe(listener: (event: E) => void): Unsubscribe;
  clear(): void;
}

export function createEmitter<E>(onListenerError: (error: unknown) => void = (error) => console.error(error)): Emitter<E> {
  const listeners = new Set<(event: E) => void>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear: () => listeners.clear(),
  };
}
