/**
 * Headless Debian Chromium through playwright-core, with the flags that work
 * on machines without a GPU: SwiftShader WebGL, no network
 * chatter, a fresh profile per run; and a page of it on the app.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.MACL_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<BrowserContext> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}: install Debian's chromium package (.ci/run does) or set MACL_CHROMIUM.`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'macl-e2e-profile-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new page on the app at `url`, once its shell shows; uncaught page errors are pushed onto `pageErrors`. */
export async function openAppPage(browser: BrowserContext, url: string, pageErrors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  await page.getByTestId('app-shell').waitFor({ state: 'visible' });
  return page;
}
