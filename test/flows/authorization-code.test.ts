import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { ALICE, WEB } from '../helpers/fixtures.js';
import { Browser, authorizeQuery, formOf, postToken, redirectParams } from '../helpers/oauth.js';

describe('GET /authorize with the login and consent pages', () => {
  it('walks login, consent and the redirect with a code that exchanges for tokens', async () => {
    const { app } = await buildTestApp();
    const browser = new Browser(app);
    const login = await browser.go('GET', authorizeQuery({ state: 's-1' }));
    expect(login.statusCode).toBe(200);
    expect(login.body).toContain('<label for="email">Email</label>');
    const loginForm = formOf(login.body);
    const consent = await browser.go('POST', loginForm.action, { _csrf: loginForm.csrf, email: ALICE.email, password: ALICE.password });
    expect(consent.statusCode).toBe(200);
    expect(consent.body).toContain(WEB.name);
    const consentForm = formOf(consent.body);
    const done = await browser.go('POST', consentForm.action, { _csrf: consentForm.csrf, decision: 'authorize' });
    expect(done.statusCode).toBe(303);
    const params = redirectParams(done);
    expect(String(done.headers.location).startsWith(`${WEB.redirectUris[0]}?`)).toBe(true);
    expect(params.get('state')).toBe('s-1');
    const token = await postToken(app, {
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: WEB.redirectUris[0],
      client_id: WEB.clientId,
      client_secret: WEB.clientSecret,
    });
    expect(token.statusCode).toBe(200);
    expect(Object.keys(token.json())).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
  });
});
