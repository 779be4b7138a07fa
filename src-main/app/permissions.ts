/**
 * Denies every web permission (camera, microphone, notifications, geolocation,
 * clipboard read, HID/USB/serial devices, …) to every page of the session.
 * The workstation needs none of them; Electron's default is to grant, so
 * each handler must be set explicitly. A permission the renderer comes to
 * need must be granted here by name, with the reason next to it.
 */
import type { Session } from 'electron';

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

/** Installs deny-all handlers on `session` (normally `session.defaultSession`). */
export function denyAllPermissions(session: PermissionSession, log: (line: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    log(`permissions: denied request for "${permission}" from ${originOf(details.requestingUrl)}`);
    callback(false);
  });
  // Checks are synchronous queries (e.g. navigator.permissions.query); they are
  // frequent and expected, so they are denied without a log line.
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler((details) => {
    log(`permissions: denied ${details.deviceType} device access for ${details.origin}`);
    return false;
  });
}

function originOf(url: string | undefined): string {
  if (url === undefined || url === '') return 'an unknown page';
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'an unparsable URL';
  }
}
