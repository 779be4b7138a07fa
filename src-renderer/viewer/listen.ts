/**
 * addEventListener that returns its own removal, for cornerstone's events
 * (dispatched on the element or on its global event target as CustomEvents).
 */
import type { Unsubscribe } from './viewerApi';

/** Listens to `type` on `target` until the returned function is called. */
export function listen<D>(target: EventTarget, type: string, handler: (detail: D) => void): Unsubscribe {
  const wrapped = (event: Event): void => handler((event as CustomEvent<D>).detail);
  target.addEventListener(type, wrapped);
  return () => target.removeEventListener(type, wrapped);
}
