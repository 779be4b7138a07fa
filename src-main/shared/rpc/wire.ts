/**
 * The messages every transport carries. One format for Electron IPC, the
 * loopback WebSocket and the trainer's process channel, so one client and one
 * server implementation serve them all.
 */
import { z } from 'zod';
import { appErrorSchema, type AppError, type Result } from '../result';

const resultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: appErrorSchema }),
]);

/** Why a stream ended: its producer finished, the client cancelled it, or it failed. */
export const streamEndReasons = ['done', 'cancelled', 'failed'] as const;
export type StreamEndReason = (typeof streamEndReasons)[number];

const runIdSchema = z.string().min(1).max(128);
const nameSchema = z.string().min(1).max(128);

export const wireMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), method: nameSchema, params: z.unknown() }),
  z.object({ t: z.literal('reply'), id: z.number().int().nonnegative(), result: resultSchema }),
  z.object({ t: z.literal('listen'), runId: runIdSchema, stream: nameSchema, params: z.unknown() }),
  z.object({ t: z.literal('event'), runId: runIdSchema, event: z.unknown() }),
  z.object({
    t: z.literal('end'),
    runId: runIdSchema,
    reason: z.enum(streamEndReasons),
    error: appErrorSchema.optional(),
  }),
  z.object({ t: z.literal('cancel'), runId: runIdSchema }),
]);

export type WireMessage =
  | { t: 'call'; id: number; method: string; params: unknown }
  | { t: 'reply'; id: number; result: Result<unknown> }
  | { t: 'listen'; runId: string; stream: string; params: unknown }
  | { t: 'event'; runId: string; event: unknown }
  | { t: 'end'; runId: string; reason: StreamEndReason; error?: AppError }
  | { t: 'cancel'; runId: string };

/** Parses an incoming message; returns null (and the reason) for anything malformed. */
export function parseWireMessage(raw: unknown): { message: WireMessage } | { problem: string } {
  const parsed = wireMessageSchema.safeParse(raw);
  if (!parsed.success) return { problem: describeZodError(parsed.error) };
  return { message: parsed.data as WireMessage };
}

/** A one-line description of a schema failure, naming the offending path. */
export function describeZodError(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return 'invalid payload';
  const path = first.path.length > 0 ? first.path.join('.') : '(root)';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${path}: ${first.message}${more}`;
}
