/** A session call refused for a reason the user must hear, with the contract's error code. */
import type { ErrorCode } from '../shared/result';

export class SessionError extends Error {
  override readonly name = 'SessionError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
