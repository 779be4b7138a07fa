/**
 * How the renderer is connected to the app. The stores show this to the user;
 * only bridge/ changes it.
 */

/**
 * - connecting: the first attempt is under way (never been open yet)
 * - open: calls and streams flow
 * - lost: the pipe closed unexpectedly (or the first attempt failed); the
 *   bridge keeps retrying in the background and goes back to `open` by itself
 */
export type ConnectionState = 'connecting' | 'open' | 'lost';

/** Which shell serves the renderer: the Electron preload or the loopback browser host. */
export type ShellKind = 'electron' | 'browser';

/** A connection state with the reason it was lost, for the status bar's tooltip. */
export interface ConnectionStatus {
  readonly state: ConnectionState;
  /** Why the connection was lost; null unless `state` is `lost`. */
  readonly reason: string | null;
  /** Delay before the next reconnection attempt, in ms; null unless one is scheduled. */
  readonly retryInMs: number | null;
}
