import { describe, expect, it } from 'vitest';
import { matchRedirectUri } from '../../../src/oauth/redirect-uri.js';
import { fakeClient } from '../../helpers/fake-repositories.js';

const web = fakeClient({ id: 'web', redirectUris: ['https://pms.example/callback?tenant=1', 'http://127.0.0.1:9999/callback'] });
const desktop = fakeClient({ id: 'desktop', isPublic: true, redirectUris: ['http://127.0.0.1/desktop/callback', 'http://[::1]/cb'] });

describe('matchRedirectUri', () => {
  it('accepts a registered URI character for character', () => {
    expect(matchRedirectUri(web, 'https://pms.example/callback?tenant=1')).toBe('https://pms.example/callback?tenant=1');
  });

  it.each([
    ['a longer path', 'https://pms.example/callback/extra'],
    ['a path prefix', 'https://pms.example/call'],
    ['an extra query parameter', 'https://pms.example/callback?tenant=1&x=2'],
    ['a missing query', 'https://pms.example/callback'],
    ['a trailing slash', 'https://pms.example/callback/?tenant=1'],
    ['another scheme', 'http://pms.example/callback?tenant=1'],
    ['a different host case', 'https://PMS.example/callback?tenant=1'],
    ['an explicit default port', 'https://pms.example:443/callback?tenant=1'],
    ['a fragment', 'https://pms.example/callback?tenant=1#x'],
    ['percent-encoding', 'https://pms.example/%63allback?tenant=1'],
    ['dot segments', 'https://pms.example/x/../callback?tenant=1'],
    ['userinfo', 'https://pms.example@evil.example/callback?tenant=1'],
  ])('refuses %s (no normalisation)', (_what, uri) => {
    expect(matchRedirectUri(web, uri)).toBeUndefined();
  });

  it('refuses another port for a confidential client even on loopback', () => {
    expect(matchRedirectUri(web, 'http://127.0.0.1:8888/callback')).toBeUndefined();
  });

  it("accepts any port on a public client's loopback IP redirect URI (RFC 8252 §7.3)", () => {
    expect(matchRedirectUri(desktop, 'http://127.0.0.1:51234/desktop/callback')).toBe('http://127.0.0.1:51234/desktop/callback');
    expect(matchRedirectUri(desktop, 'http://127.0.0.1/desktop/callback')).toBe('http://127.0.0.1/desktop/callback');
    expect(matchRedirectUri(desktop, 'http://[::1]:4000/cb')).toBe('http://[::1]:4000/cb');
  });

  it.each([
    ['another path', 'http://127.0.0.1:51234/desktop/other'],
    ['localhost instead of the IP', 'http://localhost:51234/desktop/callback'],
    ['https', 'https://127.0.0.1:51234/desktop/callback'],
    ['another loopback address', 'http://127.0.0.2:51234/desktop/callback'],
    ['userinfo on loopback', 'http://evil@127.0.0.1:51234/desktop/callback'],
    ['a query added', 'http://127.0.0.1:51234/desktop/callback?x=1'],
    ['a path prefix', 'http://127.0.0.1:51234/desktop/callbackx'],
  ])('refuses %s for a public loopback client', (_what, uri) => {
    expect(matchRedirectUri(desktop, uri)).toBeUndefined();
  });

  it('refuses something that is not a URI', () => {
    expect(matchRedirectUri(desktop, 'not a uri')).toBeUndefined();
  });
});
