/**
 * A PACS request that failed, with a message naming the server and the step
 * (so "Orthanc (http://pacs:8042/dicom-web): retrieve instance 1.2.3: server
 * error 500 ..." rather than "request failed"), and a code the RPC layer and
 * the CLI map to their own.
 */
export type PacsErrorCode =
  /** No answer: refused, unreachable, timed out, dropped mid-answer. */
  | 'unavailable'
  /** The server refused the credentials or the action (401, 403). */
  | 'denied'
  | 'not-found'
  /** The server's certificate is not trusted (self-signed, unknown CA, wrong name, expired). */
  | 'certificate'
  /** The server answered something that is not what DICOMweb says (bad JSON, multipart, DICOM). */
  | 'malformed'
  /** The server reported an error of its own (5xx, or another status). */
  | 'server'
  | 'cancelled'
  | 'bad-request';

export class PacsError extends Error {
  constructor(
    readonly code: PacsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PacsError';
  }
}
