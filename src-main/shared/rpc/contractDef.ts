/**
 * How a contract is declared: a set of request/response calls and a set of
 * event streams, each with runtime schemas for what crosses the boundary.
 * Calls and streams are kept apart (as in VS Code's IPC): a call answers once,
 * a stream emits events under a run id until it ends or is cancelled.
 */
import type { z } from 'zod';

export interface CallDef<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly params: P;
  readonly result: R;
}

export interface StreamDef<P extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  readonly params: P;
  readonly event: E;
}

export interface ContractDef {
  readonly calls: Readonly<Record<string, CallDef>>;
  readonly streams: Readonly<Record<string, StreamDef>>;
}

/** Identity function that keeps the literal types of a contract. */
export function defineContract<const C extends ContractDef>(contract: C): C {
  return contract;
}

export type CallName<C extends ContractDef> = keyof C['calls'] & string;
export type StreamName<C extends ContractDef> = keyof C['streams'] & string;
export type CallParams<C extends ContractDef, K extends CallName<C>> = z.input<C['calls'][K]['params']>;
export type CallResult<C extends ContractDef, K extends CallName<C>> = z.output<C['calls'][K]['result']>;
export type StreamParams<C extends ContractDef, K extends StreamName<C>> = z.input<C['streams'][K]['params']>;
export type StreamEvent<C extends ContractDef, K extends StreamName<C>> = z.output<C['streams'][K]['event']>;
