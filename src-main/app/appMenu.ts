/**
 * The application menu of the packaged app. Electron's default menu carries
 * Help entries that open electronjs.org, reload and DevTools items: none
 * belongs in a clinical, offline app. Windows and Linux need no menu at all
 * (Chromium handles the editing shortcuts itself); macOS routes Cmd+C/V/Z and
 * Cmd+Q through the menu, so it keeps the standard App, Edit and Window menus.
 */
import { Menu } from 'electron';

export function installAppMenu(platform: NodeJS.Platform): void {
  if (platform !== 'darwin') {
    Menu.setApplicationMenu(null);
    return;
  }
  Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]));
}
