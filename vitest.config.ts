import { defineConfig } from 'vitest/config';

/** Test files that drive Chromium (@sparticuz/chromium, one browser process per file). */
const BROWSER = ['test/browser/**/*.test.ts', 'test/e2e/browser-login.test.ts'];

/**
 * Two groups, one after the other: first every Node-only suite, in parallel; then the browser
 * suites one file at a time. On a 2-core machine, several Chromiums started next to the socket and
 * crash tests starve each other into timeouts; alone, each browser file takes a few seconds.
 */
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'node', include: ['test/**/*.test.ts'], exclude: BROWSER, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'browser', include: BROWSER, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
