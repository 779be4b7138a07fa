/**
 * End to end: the browser host serves the app to headless Chromium; the status
 * bar shows the backend that the real trainer process measured (renderer ->
 * host -> trainer -> renderer); requests without the token are refused; a
 * killed trainer is noticed, reported and restarted.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BrowserContext, Page } from 'playwright-core';
import { appContract } from '../../src-main/shared/contract/appContract';
import type { TrainerStatus } from '../../src-main/shared/contract/compute';
import { createRpcClient } from '../../src-main/shared/rpc/client';
import { createWebSocketTransport } from '../../src-main/host/webSocketTransport';
import { launchChromium } from './support/chromium';
import { projectRoot, startHost, type RunningHost } from './support/hostProcess';
import { killChild } from '../support/killProcess';

const screenshots = path.join(projectRoot, 'test-output/e2e');

let host: RunningHost;
let browser: BrowserContext;
let page: Page;

/** Connects to the host's WebSocket as the page does: with the session cookie and our origin. */
async function connectRpc(cookie: string | null, origin: string): Promise<WebSocket> {
  const headers: Record<string, string> = { Origin: origin };
  if (cookie !== null) headers.Cookie = cookie;
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/rpc`, { headers });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  return socket;
}

async function sessionCookie(): Promise<string> {
  const cookies = await browser.cookies(host.origin);
  const session = cookies.find((c) => c.name === `macl_session_${host.port}`);
  if (session === undefined) throw new Error('The page got no session cookie.');
  expect(session.httpOnly).toBe(true);
  return `${session.name}=${session.value}`;
}

async function trainerStatus(): Promise<TrainerStatus> {
  const socket = await connectRpc(await sessionCookie(), host.origin);
  const client = createRpcClient(appContract, createWebSocketTransport(socket));
  const status = await client.call('trainer.status', {});
  client.close();
  if (!status.ok) throw new Error(status.error.message);
  return status.value;
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  host = await startHost();
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('browser host in headless Chromium', () => {
  it('renders the workstation and shows the backend the trainer process measured', async () => {
    await page.goto(host.url);
    // The token leaves the address bar: it now lives in an HttpOnly cookie.
    expect(page.url()).toBe(`${host.origin}/`);
    await page.getByTestId('app-shell').waitFor({ state: 'visible' });
    const backend = page.getByTestId('status-backend');
    await expect.poll(async () => backend.textContent(), { timeout: 60_000 }).toMatch(/tensorflow|webgpu|wasm|cpu/);

    const status = await trainerStatus();
    expect(status.state).toBe('ready');
    const chosen = status.report?.chosen;
    expect(chosen?.usable).toBe(true);
    expect(chosen?.gflops).toBeGreaterThan(0);
    const shown = (await backend.textContent()) ?? '';
    expect(shown).toContain(chosen?.backend ?? '(none)');
    expect(shown).toContain(chosen?.device ?? '(none)');
    await page.screenshot({ path: path.join(screenshots, 'app-shell.png'), fullPage: true });
  });

  it('refuses HTTP and WebSocket requests without the token or from another origin', async () => {
    const plain = await fetch(`${host.origin}/`);
    expect(plain.status).toBe(403);
    const asset = await fetch(`${host.origin}/index.html`);
    expect(asset.status).toBe(403);
    const wrong = await fetch(`${host.origin}/?token=not-the-token`);
    expect(wrong.status).toBe(403);
    await expect(connectRpc(null, host.origin)).rejects.toThrow('HTTP 403');
    await expect(connectRpc(await sessionCookie(), 'http://127.0.0.1:1')).rejects.toThrow('HTTP 403');
  });

  it('notices a killed trainer, tells the UI and restarts it', async () => {
    const before = await trainerStatus();
    expect(before.pid).not.toBeNull();
    killChild(before.pid);
    const trainerState = page.getByTestId('status-trainer');
    await expect.poll(async () => (await trainerStatus()).restarts, { timeout: 60_000 }).toBe(before.restarts + 1);
    await expect.poll(async () => (await trainerStatus()).state, { timeout: 60_000 }).toBe('ready');
    const after = await trainerStatus();
    expect(after.pid).not.toBe(before.pid);
    expect(after.message ?? '').toMatch(/stopped unexpectedly|exited|SIGKILL/i);
    await expect.poll(async () => trainerState.textContent(), { timeout: 30_000 }).toMatch(/ready/i);
    await expect.poll(async () => page.locator('body').textContent(), { timeout: 30_000 }).toContain(after.message ?? '');
    await page.screenshot({ path: path.join(screenshots, 'after-trainer-restart.png'), fullPage: true });
  });
});
