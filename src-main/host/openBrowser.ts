/**
 * Opens a URL in the system browser. Failure is not fatal: the URL is
 * printed anyway, and the user can open it by hand.
 */
import { spawn } from 'node:child_process';

export function openInBrowser(url: string, log: (line: string) => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', (error) => log(`Could not open a browser (${error.message}); open the URL above by hand.`));
    child.unref();
  } catch (error) {
    log(`Could not open a browser (${(error as Error).message}); open the URL above by hand.`);
  }
}
