import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser, type PageProblems } from '../helpers/browser.js';
import { ALICE } from '../helpers/fixtures.js';
import { startServer } from '../helpers/server.js';

const { withPage } = useBrowser();

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };

/** Clicks a button that posts a form and waits for the page it leads to. */
async function press(page: Page, name: string | RegExp): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: typeof name === 'string' }).click()]);
}

/** Screenshots at laptop and phone width; the page must not scroll sideways on a phone. */
async function shoot(page: Page, name: string, steps: string[] = []): Promise<void> {
  for (const [size, suffix] of [[LAPTOP, ''], [PHONE, '-phone']] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `test/output/playground-${name}${suffix}.png`, fullPage: true });
    // one picture per step as well: a whole flow page is too tall to read in one image
    for (const step of steps) await page.locator(`#step-${step}`).screenshot({ path: `test/output/playground-${name}-${step}${suffix}.png` });
  }
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow, `${name} scrolls sideways on a phone`).toBeLessThanOrEqual(0);
  await page.setViewportSize(LAPTOP);
}

function expectNoProblems(problems: PageProblems): void {
  expect(problems.consoleErrors).toEqual([]);
  expect(problems.pageErrors).toEqual([]);
  expect(problems.failedRequests).toEqual([]);
  expect(problems.dialogs).toEqual([]);
}

describe('/playground in Chromium', () => {
  it('walks the authorization code flow with PKCE through the real login and consent pages to /me', async () => {
    const server = await startServer();
    await withPage(async (page, problems) => {
      await page.setViewportSize(LAPTOP);
      await page.goto(`${server.url}/playground`);
      await shoot(page, 'index');
      await Promise.all([page.waitForURL(/\/playground\/authorization-code-pkce$/), page.getByRole('link', { name: 'Authorization code with PKCE' }).click()]);
      await press(page, 'Build the URL');
      const href = await page.getByRole('link', { name: 'Open the authorization URL' }).getAttribute('href');
      expect(new URL(href ?? '').searchParams.get('code_challenge_method')).toBe('S256');
      await Promise.all([page.waitForURL(/\/interaction\//), page.getByRole('link', { name: 'Open the authorization URL' }).click()]);
      await page.getByLabel('Email').fill(ALICE.email);
      await page.getByLabel('Password').fill(ALICE.password);
      await press(page, 'Log in');
      await Promise.all([page.waitForURL(/\/playground\/callback\?code=/), page.getByRole('button', { name: 'Authorize' }).click()]);
      const checks = await page.locator('#step-callback .pg-checks li').allInnerTexts();
      expect(checks[0]).toMatch(/^✓ state equals the state this flow made/);
      await shoot(page, 'callback');
      await press(page, 'Exchange the code');
      expect(await page.locator('#step-exchange .pg-status').innerText()).toBe('200');
      expect(await page.locator('#step-exchange .pg-jwt').innerText()).toContain(`"sub": "${ALICE.uuid}"`);
      // the optional copy button of the curl line (served from this origin, no inline script)
      const copy = page.locator('#step-exchange button.pg-copy');
      expect(await copy.innerText()).toBe('Copy');
      await copy.click();
      await expect.poll(() => copy.innerText()).toMatch(/^(Copied|Selected: copy it)$/);
      await press(page, 'Refresh the tokens');
      expect(await page.locator('#step-refresh .pg-status').innerText()).toBe('200');
      await press(page, 'Call /me');
      expect(await page.locator('#step-me .pg-status').innerText()).toBe('200');
      expect(await page.locator('#step-me .pg-body').innerText()).toContain(`"email": "${ALICE.email}"`);
      await shoot(page, 'code-flow', ['exchange', 'me']);
      expectNoProblems(problems);
    });
  }, 60_000);

  it('walks the device flow: a code, the verification page in a new tab, approval, a poll and /me', async () => {
    const server = await startServer();
    await withPage(async (page, problems) => {
      await page.setViewportSize(LAPTOP);
      await page.goto(`${server.url}/playground/device`);
      await press(page, 'Ask for a code');
      const userCode = await page.locator('#step-device-start .user-code').innerText();
      expect(userCode).toMatch(/^[B-Z]{4}-[B-Z]{4}$/);
      await press(page, 'Poll now');
      expect(await page.locator('#step-device-poll .pg-body').innerText()).toContain('"error": "authorization_pending"');

      const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'Open the verification page' }).click()]);
      const tabErrors: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error') tabErrors.push(m.text());
      });
      await tab.waitForLoadState('load');
      expect(await tab.getByLabel('Code').inputValue()).toBe(userCode);
      await Promise.all([tab.waitForURL(/\/device\/confirm/), tab.getByRole('button', { name: 'Continue' }).click()]);
      await tab.getByLabel('Email').fill(ALICE.email);
      await tab.getByLabel('Password').fill(ALICE.password);
      await Promise.all([tab.waitForLoadState('load'), tab.getByRole('button', { name: 'Log in' }).click()]);
      await Promise.all([tab.waitForLoadState('load'), tab.getByRole('button', { name: 'Authorize' }).click()]);
      await tab.getByRole('heading', { name: 'Device connected' }).waitFor();
      await tab.close();
      expect(tabErrors).toEqual([]);

      server.clock.advanceBy(5); // one interval, so this poll is not slow_down
      await press(page, 'Poll now');
      expect(await page.locator('#step-device-poll .pg-status').innerText()).toBe('200');
      await press(page, 'Call /me');
      expect(await page.locator('#step-me .pg-body').innerText()).toContain(`"email": "${ALICE.email}"`);
      await shoot(page, 'device', ['device-start', 'device-poll']);
      expectNoProblems(problems);
    });
  }, 60_000);

  it('shows a forged callback as a readable page and runs none of its markup', async () => {
    const server = await startServer();
    await withPage(async (page, problems) => {
      const evil = '"><img src=x onerror="alert(1)"><script>alert(2)</script>';
      const res = await page.goto(`${server.url}/playground/callback?code=${encodeURIComponent(evil)}&state=${encodeURIComponent(evil)}`);
      expect(res?.status()).toBe(400);
      expect(await page.getByRole('heading', { name: 'The callback was refused' }).count()).toBe(1);
      expect(await page.getByRole('alert').innerText()).toContain(evil);
      expect(problems.dialogs).toEqual([]);
      expect(problems.pageErrors).toEqual([]);
    });
  }, 30_000);
});
