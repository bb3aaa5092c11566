import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { ALICE, WEB } from '../helpers/fixtures.js';
import { startServer } from '../helpers/server.js';

const { withPage } = useBrowser();

const PAGES = [
  ['home', '/console'],
  ['clients', '/console/clients'],
  ['client-new', '/console/clients/new'],
  ['client-edit', `/console/clients/${WEB.clientId}`],
  ['users', '/console/users'],
  ['user-edit', `/console/users/${ALICE.uuid}`],
  ['organizations', '/console/organizations'],
  ['organization-new', '/console/organizations/new'],
  ['grants', '/console/grants'],
  ['requests', '/console/requests'],
  ['clock', '/console/clock'],
  ['faults', '/console/faults'],
] as const;

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe('/console in Chromium', () => {
  it('creates a confidential client whose one-time secret then gets a client_credentials token', async () => {
    const server = await startServer();
    const secret = await withPage(async (page, problems) => {
      await page.setViewportSize(LAPTOP);
      await page.goto(`${server.url}/console/clients/new`);
      await page.getByLabel('Client id').fill('made-in-console');
      await page.getByLabel('Name').fill('Made in the console');
      await page.getByLabel('Redirect URIs').fill('http://127.0.0.1:7777/callback');
      await page.getByLabel('client_credentials').check();
      await page.getByLabel('Scopes').fill('profile organization');
      await Promise.all([page.waitForURL(/\/secret\?once=/), page.getByRole('button', { name: 'Create client' }).click()]);
      await page.screenshot({ path: 'test/output/console-client-secret.png', fullPage: true });
      const value = (await page.locator('#client-secret').innerText()).trim();
      // shown once: the same page again no longer has it
      await page.reload();
      expect(await page.locator('#client-secret').count()).toBe(0);
      expect(await page.getByRole('alert').innerText()).toContain('already shown');
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [], dialogs: [] });
      return value;
    });
    expect(secret).toMatch(/^[\w-]{32}$/);
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`made-in-console:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'profile' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { access_token?: string }).access_token).toMatch(/^eyJ/);
  }, 60_000);

  it('shows validation messages next to the fields, without JavaScript', async () => {
    const server = await startServer();
    await withPage(async (page, problems) => {
      await page.setViewportSize(PHONE);
      await page.goto(`${server.url}/console/clients/new`);
      await page.getByLabel('Client id').fill(WEB.clientId);
      await page.getByLabel('Redirect URIs').fill('javascript:alert(1)');
      await page.getByLabel('authorization_code').uncheck();
      await page.getByLabel('refresh_token').uncheck();
      const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create client' }).click()]);
      expect(response?.status()).toBe(400);
      await page.screenshot({ path: 'test/output/console-client-errors-phone.png', fullPage: true });
      expect(await page.locator('#name-error').innerText()).toBe('Enter a name.');
      expect(await page.locator('#grantTypes-error').innerText()).toBe('Choose at least one grant type.');
      expect(await page.locator('#redirectUris-error').innerText()).toContain('javascript: scheme');
      expect(await page.getByLabel('Redirect URIs').inputValue()).toBe('javascript:alert(1)');
      expect(problems.dialogs).toEqual([]);
    });
  }, 60_000);

  it('loads every page at laptop and phone width with no console error', async () => {
    const server = await startServer();
    // something to show on the grants, requests and faults pages
    await fetch(`${server.url}/_emulator/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: WEB.clientId, user: ALICE.email, scope: 'profile organization' }),
    });
    await fetch(`${server.url}/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password' }) });
    await fetch(`${server.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/oauth2/token', status: 503, body: { error: 'temporarily_unavailable' }, times: 2 }),
    });
    await withPage(async (page, problems) => {
      for (const [size, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
        await page.setViewportSize(viewport);
        for (const [name, path] of PAGES) {
          const response = await page.goto(`${server.url}${path}`);
          expect(response?.status(), path).toBe(200);
          await page.screenshot({ path: `test/output/console-${name}-${size}.png`, fullPage: true });
          // nothing wider than the window but the scrollable tables
          // a string, run in the page: the test project has no DOM types
          const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
          expect(overflow, `${path} at ${size} width`).toBeLessThanOrEqual(0);
        }
      }
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [], dialogs: [] });
    });
  }, 120_000);

  it('asks for ADMIN_TOKEN once, then opens the console', async () => {
    const server = await startServer({ config: { adminToken: 'console-browser-token' } });
    await withPage(async (page) => {
      await page.setViewportSize(LAPTOP);
      const first = await page.goto(`${server.url}/console/faults`);
      expect(first?.status()).toBe(401);
      await page.screenshot({ path: 'test/output/console-admin-token.png', fullPage: true });
      await page.getByLabel('Admin token').fill('wrong');
      const [wrong] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Open the console' }).click()]);
      expect(wrong?.status()).toBe(401);
      expect(await page.getByRole('alert').innerText()).toBe('That is not the admin token.');
      await page.getByLabel('Admin token').fill('console-browser-token');
      await Promise.all([page.waitForURL(/\/console\/faults$/), page.getByRole('button', { name: 'Open the console' }).click()]);
      await page.getByRole('heading', { name: 'Faults', level: 1 }).waitFor();
      const cookie = (await page.context().cookies()).find((c) => c.name === 'askara_console');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
      expect(cookie?.value).not.toContain('console-browser-token');
    });
  }, 60_000);
});
