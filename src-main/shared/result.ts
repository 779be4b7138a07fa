/**
 * Result of an operation that can fail in a way the user must hear about.
 * Used on every call that crosses a process boundary, so that an error is a
 * value with a code and a readable message rather than a thrown exception
 * whose details are lost in serialisation.
 */
import { z } from 'zod';

/** Stable machine-readable error codes. The message is for people; the code is for code. */
export const errorCodes = [
  'bad-request',
  'not-found',
  'unavailable',
  'cancelled',
  'timeout',
  'io',
  /** The stored state moved on since the client read it (e.g. labels edited elsewhere): reload. */
  'conflict',
  /** The disk is full or read-only: nothing was written, the work is kept in memory. */
  'disk-full',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const appErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  /** Optional technical detail (a stack, an errno) for logs, never the primary message. */
  detail: z.string().optional(),
});
export type AppError = z.infer<typeof appErrorSchema>;

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err = { readonly ok: false; readonly error: AppError };
export type Result<T> = Ok<T> | Err;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err(code: ErrorCode, message: string, detail?: string): Err {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, detail } };
}

/** Converts anything thrown into an AppError without losing its message. */
export function toAppError(thrown: unknown, code: ErrorCode = 'internal'): AppError {
  if (thrown instanceof Error) {
    return thrown.stack === undefined
      ? { code, message: thrown.message }
      : { code, message: thrown.message, detail: thrown.stack };
  }
  return { code, message: String(thrown) };
}

/**
 * A handler's body as a Result: its value as ok, anything it throws as the
 * error `describe` makes of it. The services each map their own error classes
 * to codes (a LabelError keeps its code, a full disk is 'disk-full', ...);
 * rpc/server.ts would otherwise reply 'internal' to every throw.
 */
export async function resultOf<T>(run: () => T | Promise<T>, describe: (thrown: unknown) => Err): Promise<Result<T>> {
  try {
    return ok(await run());
  } catch (thrown) {
    return describe(thrown);
  }
}
