/**
 * Maps a request path to a file under the renderer build, refusing anything
 * that would leave it. Used by the browser host (and usable by any server of
 * the renderer build).
 */
import path from 'node:path';

const mimeTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(filePath: string): string {
  return mimeTypes[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticResolution = { readonly file: string } | { readonly refused: string };

/**
 * Resolves the path part of a URL (already stripped of query and fragment)
 * to a file inside `rootDir`. `/` maps to index.html. Encoded traversal
 * (`%2e%2e`), backslashes and NUL bytes are refused.
 */
export function resolveStaticPath(rootDir: string, urlPath: string): StaticResolution {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { refused: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { refused: 'forbidden character in path' };
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) return { refused: 'path leaves the app folder' };
  return { file };
}
