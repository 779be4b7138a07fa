/**
 * The response headers every page and file of the renderer is served with,
 * by the Electron app:// protocol and by the browser host alike: the one CSP,
 * no MIME sniffing, no referrer, isolation from other origins, no caching of
 * patient data.
 */
import { contentSecurityPolicy } from './contentSecurityPolicy';

export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};
