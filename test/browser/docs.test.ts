import { describe, expect, it } from 'vitest';
import { DEMO_SEED } from '../../src/seed/demo.js';
import { SCREENSHOT_DIR, useBrowser } from '../helpers/browser.js';
import { startServer } from '../helpers/server.js';

const { withPage } = useBrowser();

describe('the start page and /docs in Chromium (SPEC §13)', () => {
  it('shows the start page with the demo logins and working links, on a laptop and on a phone, with no error', async () => {
    const server = await startServer({ seed: DEMO_SEED });
    await withPage(async (page, problems) => {
      await page.setViewportSize({ width: 1280, height: 800 });
      const res = await page.goto(`${server.url}/`);
      expect(res?.status()).toBe(200);
      await page.getByRole('heading', { name: 'Askara emulator' }).waitFor();
      expect(await page.locator('body').innerText()).toContain(server.url);
      expect(await page.getByRole('row', { name: /john\.doe@example\.com askara-demo/ }).count()).toBe(1);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/start.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${SCREENSHOT_DIR}/start-phone.png`, fullPage: true });
      // nothing but the tables may scroll sideways on a phone
      expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);
      await Promise.all([page.waitForURL(/\/docs$/), page.getByRole('link', { name: 'API description' }).click()]);
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [], dialogs: [] });
    });
  }, 30_000);

  it('renders every endpoint of /docs from its own assets under the strict CSP, with no console error', async () => {
    const server = await startServer();
    await withPage(async (page, problems) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      const failed: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      const res = await page.goto(`${server.url}/docs`, { waitUntil: 'load' });
      expect(res?.status()).toBe(200);
      await page.locator('.opblock').first().waitFor();
      const count = await page.locator('.opblock').count();
      const spec = (await (await fetch(`${server.url}/docs/json`)).json()) as { paths: Record<string, Record<string, { tags: string[] }>> };
      // an operation shows once under each of its tags (/authorize is both OAuth and Pages)
      const shown = Object.values(spec.paths).flatMap((ops) => Object.values(ops)).reduce((n, op) => n + op.tags.length, 0);
      expect(count).toBe(shown);
      expect(await page.getByRole('heading', { name: /Askara emulator/ }).count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/docs.png`, fullPage: true });
      // one operation opened: its parameters and responses render too
      await page.locator('.opblock-summary', { hasText: '/oauth2/token' }).first().click();
      await page.locator('.opblock-body').first().waitFor();
      await page.screenshot({ path: `${SCREENSHOT_DIR}/docs-token.png`, fullPage: false });
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [], dialogs: [] });
      expect(failed).toEqual([]);
    });
  }, 30_000);
});
