import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { ALICE, SERVICE } from '../helpers/fixtures.js';
import { Browser, authorizeQuery, formOf, postToken } from '../helpers/oauth.js';

const INVALID = 'Invalid email or password.';
const locked = (minutes: number) => `This account is locked after too many failed logins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;

/** A browser on the login page of a fresh authorization request. */
async function loginPage(app: Parameters<typeof postToken>[0]) {
  const browser = new Browser(app);
  let page = await browser.go('GET', authorizeQuery({ state: 'st' }));
  const submit = async (email: string, password: string) => {
    const form = formOf(page.body);
    page = await browser.go('POST', form.action, { _csrf: form.csrf, email, password });
    return page;
  };
  return { browser, submit };
}

const alertOf = (html: string) => /<p class="alert" role="alert">([^<]*)<\/p>/.exec(html)?.[1];

describe('login page lockout (SPEC §7)', () => {
  it('shows one uniform message for a wrong password and an unknown e-mail', async () => {
    const { app } = await buildTestApp();
    const { submit } = await loginPage(app);
    const wrong = await submit(ALICE.email, 'not-her-password');
    expect(wrong.statusCode).toBe(200);
    expect(alertOf(wrong.body)).toBe(INVALID);
    expect(wrong.body).not.toContain('not-her-password');
    expect(alertOf((await submit('nobody@lilas.example', 'whatever')).body)).toBe(INVALID);
  });

  it('locks the account at the fifth failure, refuses even the right password, and logs it', async () => {
    const logLines: string[] = [];
    const { app, clock } = await buildTestApp({ logLines });
    const { submit } = await loginPage(app);
    for (let i = 0; i < 4; i += 1) {
      expect(alertOf((await submit(ALICE.email, `wrong-${i}`)).body)).toBe(INVALID);
      clock.advanceBy(30);
    }
    expect(alertOf((await submit(ALICE.email, 'wrong-4')).body)).toBe(locked(15));
    clock.advanceBy(10 * 60);
    const right = await submit(ALICE.email, ALICE.password);
    expect(alertOf(right.body)).toBe(locked(5));
    expect(right.body).toContain('<h1>Log in</h1>');
    const log = logLines.join('\n');
    expect(log).toContain('account locked after repeated failed logins');
    expect(log).toContain('login refused: account locked');
    expect(log).toContain(ALICE.uuid);
    for (const secret of ['wrong-0', 'wrong-4', ALICE.password]) expect(log).not.toContain(secret);
  });

  it('unlocks 15 minutes after the last counted failure', async () => {
    const { app, clock } = await buildTestApp();
    const { submit } = await loginPage(app);
    for (let i = 0; i < 5; i += 1) await submit(ALICE.email, 'wrong');
    clock.advanceBy(15 * 60);
    const consent = await submit(ALICE.email, ALICE.password);
    expect(consent.body).toContain('Authorize');
    expect(alertOf(consent.body)).toBeUndefined();
  });

  it('shares the lock with the password grant', async () => {
    const { app } = await buildTestApp();
    const { submit } = await loginPage(app);
    for (let i = 0; i < 3; i += 1) await submit(ALICE.email, 'wrong');
    const grant = { grant_type: 'password', username: ALICE.email, password: 'wrong', client_id: SERVICE.clientId, client_secret: SERVICE.clientSecret };
    expect((await postToken(app, grant)).json().hint).toMatch(/^The username or password is wrong/);
    expect((await postToken(app, grant)).json().hint).toMatch(/^This account is locked after 5 failed logins/);
    expect(alertOf((await submit(ALICE.email, ALICE.password)).body)).toBe(locked(15));
  });
});
