import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../src/config.js';
import { createEmulator, type Emulator } from '../../src/emulator.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { testSigningKey } from '../helpers/app.js';
import { ALICE, BRUNO, TEST_SEED, WEB } from '../helpers/fixtures.js';
import { authorizeQuery, postToken } from '../helpers/oauth.js';

const OUTPUT = join(PACKAGE_ROOT, 'test', 'output');
const CALLBACK = WEB.redirectUris[0];

let emulator: Emulator;
let origin: string;
let browser: Browser;
// @sparticuz/chromium runs Chromium as a single process, which does not survive closing a
// context: one context for the file, its cookies cleared between tests
let context: BrowserContext;
/** Every URL the client's callback origin was sent to. */
const callbacks: URL[] = [];

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  emulator = await createEmulator({
    config: configWith({ port: 0, host: '127.0.0.1', issuer: undefined, databasePath: ':memory:', rateLimit: null }),
    seed: TEST_SEED,
    firstKey: await testSigningKey(),
  });
  await emulator.listen();
  const { port } = emulator.app.server.address() as { port: number };
  origin = `http://127.0.0.1:${port}`;
  browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    args: [...chromium.args, '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu'],
    headless: true,
    timeout: 30_000,
  });
  context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  // nothing listens on the client's callback: answer it here when Chromium lets the route see it,
  // and record it from the request event, which also fires for a redirect the route does not catch
  await context.route('http://127.0.0.1:9999/**', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'ok' }));
  context.on('request', (request) => {
    if (request.url().startsWith('http://127.0.0.1:9999/')) callbacks.push(new URL(request.url()));
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

/** A page that records console errors, page errors and failed requests. */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  await context.clearCookies();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:9999/')) problems.push(`request: ${r.url()} ${r.failure()?.errorText}`);
  });
  return { page, problems };
}

/** Clicks `button` and waits (at most 10 s) for the browser to be sent to the client's callback. */
async function clickToCallback(page: Page, button: string): Promise<URL> {
  const seen = callbacks.length;
  await page.getByRole('button', { name: button }).click();
  for (let waited = 0; waited < 10_000 && callbacks.length === seen; waited += 50) await page.waitForTimeout(50);
  const callback = callbacks.at(-1);
  if (callbacks.length === seen || !callback) throw new Error(`the browser never reached the callback; it is at ${page.url()}`);
  return callback;
}

async function logInAs(page: Page, user: { email: string; password: string }, state: string): Promise<void> {
  await page.goto(`${origin}${authorizeQuery({ state })}`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Authorize' }).waitFor();
}

describe('login → consent → redirect in Chromium', () => {
  it('logs in by label, authorizes, and lands on the callback with a code and the state', async () => {
    const { page, problems } = await openPage();
    await logInAs(page, ALICE, 'browser-state-1');
    await expect(page.getByRole('heading', { name: `Authorize ${WEB.name}?` }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(OUTPUT, 'browser-consent.png') });
    const callback = await clickToCallback(page, 'Authorize');
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    expect(callback.searchParams.get('state')).toBe('browser-state-1');
    const code = callback.searchParams.get('code') ?? '';
    expect(code).not.toBe('');
    expect(problems).toEqual([]);

    const token = await postToken(emulator.app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: WEB.clientId,
      client_secret: WEB.clientSecret,
    });
    expect(token.statusCode).toBe(200);
    await page.close();
  }, 60_000);

  it('shows the uniform error for a wrong password and stays on the login page', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${origin}${authorizeQuery({ state: 'wrong' })}`);
    await page.getByLabel('Email').fill(ALICE.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Invalid email or password.');
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe(ALICE.email);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('sends the browser back with error=access_denied and the state after Deny', async () => {
    const { page, problems } = await openPage();
    await logInAs(page, BRUNO, 'browser-deny');
    const callback = await clickToCallback(page, 'Deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('browser-deny');
    expect(callback.searchParams.has('code')).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
