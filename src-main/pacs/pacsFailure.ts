/**
 * Turns what went wrong in one DICOMweb request (no answer, an HTTP error
 * status, a body dicomweb-client could not decode) into a PacsError whose
 * message names the server and the step, and says what the user can do.
 */
import type { NodeXhr } from './nodeXhr';
import { PacsError } from './pacsError';

/** Node's TLS error codes for a certificate the system does not trust. */
const untrustedCertificate = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

/** The server's own words from an error body: Orthanc's JSON "Message"/"Details", or the first line of text. */
export function serverReason(body: string): string {
  const text = body.trim();
  if (text === '') return '';
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const parts = [json.Message, json.Details, json.message, json.error].filter((value): value is string => typeof value === 'string' && value !== '');
    if (parts.length > 0) return parts.join(': ').slice(0, 300);
  } catch {
    // not JSON: fall through to plain text
  }
  return (text.split(/\r?\n/)[0] ?? '').replace(/<[^>]*>/g, ' ').trim().slice(0, 300);
}

function byStatus(label: string, step: string, status: number, reason: string): PacsError {
  const because = reason === '' ? '' : ` The server said: ${reason}`;
  if (status === 401) return new PacsError('denied', `${label}: ${step}: the server refused the credentials (401). Check the user name and password or token of this connection.${because}`);
  if (status === 403) return new PacsError('denied', `${label}: ${step}: the server does not allow this for these credentials (403).${because}`);
  if (status === 404) return new PacsError('not-found', `${label}: ${step}: not found (404). Check the DICOMweb base URL, or the object is no longer on the server.${because}`);
  if (status === 409) return new PacsError('server', `${label}: ${step}: the server refused to store it (409 conflict).${because}`);
  if (status >= 500) return new PacsError('server', `${label}: ${step}: server error ${status}.${because}`);
  return new PacsError('server', `${label}: ${step}: unexpected answer ${status}.${because}`);
}

function byNetwork(label: string, step: string, code: string, message: string): PacsError {
  if (code === 'ABORTED') return new PacsError('cancelled', `${label}: ${step}: cancelled.`);
  if (untrustedCertificate.has(code)) {
    return new PacsError('certificate', `${label}: ${step}: the server's certificate is not trusted (${message}). If this server uses a self-signed certificate, add that certificate to the connection explicitly.`);
  }
  if (code === 'CERT_HAS_EXPIRED') return new PacsError('certificate', `${label}: ${step}: the server's certificate has expired.`);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return new PacsError('certificate', `${label}: ${step}: the server's certificate is for another host name (${message}).`);
  if (code === 'ECONNREFUSED') return new PacsError('unavailable', `${label}: ${step}: the server is not answering (connection refused). Is it running, and is the URL's port right?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new PacsError('unavailable', `${label}: ${step}: the host name does not resolve (${code}).`);
  if (code === 'TIMEOUT') return new PacsError('unavailable', `${label}: ${step}: ${message}; the server may be down or overloaded.`);
  if (code === 'TRUNCATED' || code === 'ECONNRESET' || code === 'EPIPE') return new PacsError('unavailable', `${label}: ${step}: the connection dropped before the answer was complete (${message}).`);
  return new PacsError('unavailable', `${label}: ${step}: no answer (${code}: ${message}).`);
}

/** The PacsError for one failed request made through `xhr`. */
export function describeFailure(label: string, step: string, xhr: NodeXhr, thrown: unknown): PacsError {
  if (thrown instanceof PacsError) return thrown;
  if (xhr.networkFailure !== null) return byNetwork(label, step, xhr.networkFailure.code, xhr.networkFailure.message);
  if (xhr.handlerError !== null) {
    const detail = xhr.handlerError instanceof Error ? xhr.handlerError.message : String(xhr.handlerError);
    return new PacsError('malformed', `${label}: ${step}: the answer could not be decoded (${detail}).`, { cause: thrown });
  }
  if (xhr.readyState === 4 && xhr.status !== 200 && xhr.status !== 206) return byStatus(label, step, xhr.status, serverReason(xhr.bodyText));
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  return new PacsError('malformed', `${label}: ${step}: ${detail}`, { cause: thrown });
}
