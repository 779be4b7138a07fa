/**
 * The one Content-Security-Policy for the renderer, served by both the
 * Electron app:// protocol and the browser host.
 *
 * 'wasm-unsafe-eval' is required by cornerstone's WebAssembly image codecs:
 * without it compressed DICOM fails silently (grey viewports, the error only
 * visible inside a worker). Workers must come from the app itself. Nothing may
 * be fetched from another origin: scans are patient data.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
