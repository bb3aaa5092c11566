import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { ALICE, DESKTOP } from '../helpers/fixtures.js';
import { decodeJwt } from '../helpers/oauth.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const { withPage } = useBrowser();

async function startDevice(server: RunningServer) {
  const res = await fetch(`${server.url}/oauth2/device-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: DESKTOP.clientId, scope: 'profile organization' }),
  });
  return (await res.json()) as { device_code: string; user_code: string; verification_uri_complete: string };
}

async function pollOnce(server: RunningServer, deviceCode: string) {
  const res = await fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode, client_id: DESKTOP.clientId }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('/device in Chromium', () => {
  it('takes a person through code, login, confirmation and Authorize, and the device then gets tokens', async () => {
    const server = await startServer();
    const d = await startDevice(server);
    await withPage(async (page) => {
      await page.goto(`${server.url}/device`);
      await page.getByLabel('Code').fill(d.user_code.toLowerCase());
      await Promise.all([page.waitForURL(/\/device\/confirm/), page.getByRole('button', { name: 'Continue' }).click()]);
      await page.getByLabel('Email').fill(ALICE.email);
      await page.getByLabel('Password').fill(ALICE.password);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Log in' }).click()]);
      await page.getByRole('heading', { name: `Connect ${DESKTOP.name}?` }).waitFor();
      await page.screenshot({ path: 'test/output/device-confirm.png', fullPage: true });
      expect(await page.locator('.scopes li').allInnerTexts()).toEqual([
        'profile Read your profile: name, e-mail address, language and practitioner identifiers',
        'organization Read your organization: its name, address and your role in it',
      ]);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Authorize' }).click()]);
      await page.getByRole('heading', { name: 'Device connected' }).waitFor();
      await page.screenshot({ path: 'test/output/device-done.png', fullPage: true });
    });
    const { status, body } = await pollOnce(server, d.device_code);
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token ?? '').payload.sub).toBe(ALICE.uuid);
  }, 30_000);

  it('prefills the Code from verification_uri_complete, submits with Enter, and shows Deny to the device', async () => {
    const server = await startServer();
    const d = await startDevice(server);
    await withPage(async (page) => {
      await page.goto(d.verification_uri_complete);
      expect(await page.getByLabel('Code').inputValue()).toBe(d.user_code);
      // the field is autofocused, which Chromium applies in a rendering step after the load: an
      // Enter pressed before it lands on the body and submits nothing
      await page.waitForFunction("document.activeElement?.id === 'user_code'");
      await Promise.all([page.waitForURL(/\/device\/confirm/), page.keyboard.press('Enter')]);
      await page.getByLabel('Email').fill(ALICE.email);
      await page.getByLabel('Password').fill(ALICE.password);
      await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Deny' }).click()]);
      await page.getByRole('heading', { name: 'Access denied' }).waitFor();
    });
    expect((await pollOnce(server, d.device_code)).body.error).toBe('access_denied');
  }, 30_000);

  it('shows a readable error for an unknown code and runs no markup from the query', async () => {
    const server = await startServer();
    await withPage(async (page, problems) => {
      await page.goto(`${server.url}/device?user_code=${encodeURIComponent('"><img src=x onerror="alert(1)">')}`);
      await page.getByLabel('Code').fill('BBBB-BBBB');
      const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
      expect(response?.status()).toBe(400);
      expect(await page.getByRole('alert').innerText()).toBe('That code is invalid or unknown. Check the code your device shows and type it again.');
      expect(await page.getByRole('button', { name: 'Authorize' }).count()).toBe(0);
      expect(problems.dialogs).toEqual([]);
    });
  }, 30_000);
});
