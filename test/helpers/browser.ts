import { mkdirSync } from 'node:fs';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Where screenshots go (git-ignored); look at them before calling a page done. */
export const SCREENSHOT_DIR = 'test/output';

/** What a page reported that a person would never want: console errors, page errors, failed loads. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  dialogs: string[];
}

/**
 * One Chromium (from @sparticuz/chromium) for the test file, with one context: with its
 * --single-process flag, closing a context ends the browser, so pages are isolated by clearing
 * cookies instead. Call at the top level of a browser test file.
 */
export function useBrowser(): { withPage<T>(fn: (page: Page, problems: PageProblems) => Promise<T>): Promise<T> } {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await playwright.launch({
      executablePath: await chromium.executablePath(),
      args: [...chromium.args, '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu'],
      headless: true,
    });
    context = await browser.newContext();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async withPage(fn) {
      if (!context) throw new Error('useBrowser(): the browser did not start');
      await context.clearCookies();
      const page = await context.newPage();
      const problems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [], dialogs: [] };
      page.on('console', (m) => {
        if (m.type() === 'error') problems.consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => problems.pageErrors.push(e.message));
      page.on('requestfailed', (r) => problems.failedRequests.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText ?? ''}`));
      page.on('dialog', (d) => {
        problems.dialogs.push(d.message());
        void d.dismiss();
      });
      try {
        return await fn(page, problems);
      } finally {
        await page.close();
      }
    },
  };
}
