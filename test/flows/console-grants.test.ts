import { describe, expect, it } from 'vitest';
import { refreshTokenKey } from '../../src/oauth/refresh-token-format.js';
import { buildTestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';
import { ALICE, WEB } from '../helpers/fixtures.js';
import { getMe, postToken, tokensFor } from '../helpers/oauth.js';

describe('console: grants and tokens (SPEC §13)', () => {
  it('lists live token families and revokes one: /me refuses its access token and its refresh token is dead', async () => {
    const { app, context } = await buildTestApp({ config: { interactiveLogin: false } });
    const tokens = await tokensFor(app);
    const other = await tokensFor(app);
    const browser = new ConsoleBrowser(app);
    const page = await browser.get('/console/grants');
    const families = context.repos.tokens.listLiveFamilies(context.clock.now());
    expect(families).toHaveLength(2);
    expect(page.body).toContain(ALICE.email);
    expect(page.body).toContain('1 access, 1 refresh');
    // the family of the first pair: the one whose refresh token it is
    const family = context.repos.tokens.findRefreshToken(refreshTokenKey(tokens.refresh_token))?.familyId ?? '';
    expect(page.body).toContain(`/console/grants/families/${family}/revoke`);

    const res = await browser.post(`/console/grants/families/${family}/revoke`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/grants?done=revoked');
    const me = await getMe(app, tokens.access_token);
    expect(me.statusCode).toBe(401);
    expect(me.json().hint).toBe('The access token has been revoked');
    const refresh = await postToken(app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: WEB.clientId, client_secret: WEB.clientSecret });
    expect(refresh.json().error).toBe('invalid_grant');
    // the other authorization is untouched
    expect((await getMe(app, other.access_token)).statusCode).toBe(200);
    expect(context.repos.tokens.listLiveFamilies(context.clock.now())).toHaveLength(1);
    // revoking it again says there was nothing left
    expect((await browser.post(`/console/grants/families/${family}/revoke`)).headers.location).toBe('/console/grants?done=unknown');
  });

  it('hides families once expired', async () => {
    const { app, context, clock } = await buildTestApp({ config: { interactiveLogin: false } });
    await tokensFor(app);
    clock.advanceBy(3601);
    expect(context.repos.tokens.listLiveFamilies(context.clock.now())).toMatchObject([{ accessTokens: 0, refreshTokens: 1 }]);
    clock.advanceBy(30 * 86400);
    expect((await new ConsoleBrowser(app).get('/console/grants')).body).toContain('No token is live.');
  });

  it('revokes a consent with its live tokens', async () => {
    const { app, context } = await buildTestApp({ config: { interactiveLogin: false } });
    const tokens = await tokensFor(app);
    context.repos.consents.grant(ALICE.uuid, WEB.clientId, ['profile', 'organization'], context.clock.now());
    const browser = new ConsoleBrowser(app);
    expect((await browser.get('/console/grants')).body).toContain('name="client" value="web-client"');
    const res = await browser.post('/console/grants/consents/revoke', { user: ALICE.uuid, client: WEB.clientId });
    expect(res.headers.location).toBe('/console/grants?done=consent');
    expect(context.repos.consents.find(ALICE.uuid, WEB.clientId)).toEqual([]);
    expect((await getMe(app, tokens.access_token)).statusCode).toBe(401);
  });

  it('lists device codes waiting for a person', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'POST', url: '/oauth2/device-code', payload: { client_id: 'desktop-client', scope: 'profile' } });
    const userCode = res.json<{ user_code: string }>().user_code;
    const page = await new ConsoleBrowser(app).get('/console/grants');
    expect(page.body).toContain(`<code>${userCode}</code>`);
    expect(page.body).toContain('pending');
  });
});
