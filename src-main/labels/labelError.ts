/**
 * A refusal of the label store that the RPC layer turns into an error reply
 * with this code. Anything else thrown by the store is an I/O failure.
 */
import type { ErrorCode } from '../shared/result';

/** The codes the label store refuses with. */
export type LabelErrorCode = Extract<ErrorCode, 'bad-request' | 'not-found' | 'unavailable' | 'conflict' | 'io' | 'disk-full'>;

/** An expected failure with a message for the user and a code for the client. */
export class LabelError extends Error {
  constructor(
    readonly code: LabelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LabelError';
  }
}
