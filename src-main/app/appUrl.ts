/**
 * The app:// origin the renderer is served from, and the mapping from an
 * app:// URL to a file of the renderer build. Pure (no electron), so that the
 * refusal rules are unit tested in plain Node.
 *
 * Why a custom scheme rather than file://: a file:// page can read any file
 * the user can, and every file:// page shares one origin. app://macl is one
 * origin that serves exactly the renderer build.
 */
import { mimeTypeFor, resolveStaticPath } from '../services/staticFiles';

export const appScheme = 'app';
export const appHost = 'macl';
export const appOrigin = `${appScheme}://${appHost}`;
/** Where the window starts. */
export const appStartUrl = `${appOrigin}/index.html`;

export type AppUrlResolution =
  | { readonly file: string; readonly mimeType: string }
  | { readonly refused: string; readonly status: 400 | 403 | 404 };

/** Parses a URL, or returns null where it is not one. */
function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when `url` is on the app's own origin (scheme app:, host macl, no
 * port, no credentials). The host is compared case-insensitively because
 * Node's URL keeps the case of hosts of non-special schemes while Chromium
 * lowercases those of standard schemes.
 */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === `${appScheme}:` &&
    parsed.hostname.toLowerCase() === appHost &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * Maps an app:// URL to a file under `rootDir` (the renderer build) and its
 * MIME type. Query and fragment are ignored. Refused: other schemes or hosts,
 * encoded slashes or backslashes (a path segment that hides a separator),
 * and anything that resolves outside `rootDir`, encoded or not. `/` and
 * a path ending in `/` map to index.html.
 */
export function resolveAppUrl(url: string, rootDir: string): AppUrlResolution {
  const parsed = parse(url);
  if (parsed === null) return { refused: 'not a URL', status: 400 };
  if (!isAppUrl(url)) return { refused: `not on ${appOrigin}`, status: 403 };
  // The URL parser already removed "." and ".." segments (plain or %2e-encoded);
  // an encoded separator would only become one after decoding, so refuse it here.
  if (/%(2f|5c)/i.test(parsed.pathname)) return { refused: 'encoded path separator', status: 403 };
  const pathname = parsed.pathname.endsWith('/') ? `${parsed.pathname}index.html` : parsed.pathname;
  const resolved = resolveStaticPath(rootDir, pathname);
  if ('refused' in resolved) return { refused: resolved.refused, status: 403 };
  return { file: resolved.file, mimeType: mimeTypeFor(resolved.file) };
}
