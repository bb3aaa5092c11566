import { describe, expect, it } from 'vitest';
import {
  authorizationResponseUrl,
  errorResponseUrl,
  issueAuthorizationCode,
  resolveTarget,
  validateAuthorizationRequest,
} from '../../../src/oauth/authorization.js';
import { accessDenied, OAuthError } from '../../../src/oauth/errors.js';
import { decide, nextStep, startInteraction } from '../../../src/oauth/interaction.js';
import { Params } from '../../../src/oauth/request-parameters.js';
import { sha256 } from '../../../src/shared/random.js';
import { FAKE_ISSUER, fakeClient, fakeUser, fakeWorld } from '../../helpers/fake-repositories.js';
import { pkcePair } from '../../helpers/oauth.js';

function setup() {
  const world = fakeWorld();
  const web = world.addClient(fakeClient({ id: 'web', redirectUris: ['http://127.0.0.1:9999/callback?tenant=1'] }));
  const two = world.addClient(fakeClient({ id: 'two', redirectUris: ['https://a.example/cb', 'https://b.example/cb'] }));
  const desktop = world.addClient(fakeClient({ id: 'desktop', isPublic: true, redirectUris: ['http://127.0.0.1/cb'] }));
  const service = world.addClient(fakeClient({ id: 'service', grantTypes: ['client_credentials'] }));
  const alice = world.addUser(fakeUser({ uuid: 'u-alice', email: 'alice@example.com' }));
  return { world, web, two, desktop, service, alice };
}

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof OAuthError) return { error: e.code, hint: e.hint };
    throw e;
  }
  throw new Error('expected an OAuthError');
}

async function asyncErrorOf(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (e) {
    if (e instanceof OAuthError) return { error: e.code, hint: e.hint };
    throw e;
  }
  throw new Error('expected an OAuthError');
}

describe('resolveTarget (errors shown to the user, never redirected)', () => {
  it('finds the client and the exactly matching redirect URI', () => {
    const { world, web } = setup();
    const target = resolveTarget(Params.from({ client_id: 'web', redirect_uri: web.redirectUris[0] }), world.deps.repos.clients);
    expect(target).toEqual({ client: web, redirectUri: 'http://127.0.0.1:9999/callback?tenant=1', redirectUriProvided: true });
  });

  it('uses the only registered redirect URI when none is sent (RFC 6749 §3.1.2.3)', () => {
    const { world } = setup();
    const target = resolveTarget(Params.from({ client_id: 'web' }), world.deps.repos.clients);
    expect(target.redirectUri).toBe('http://127.0.0.1:9999/callback?tenant=1');
    expect(target.redirectUriProvided).toBe(false);
  });

  it('requires redirect_uri when the client has several', () => {
    const { world } = setup();
    expect(errorOf(() => resolveTarget(Params.from({ client_id: 'two' }), world.deps.repos.clients))).toEqual({
      error: 'invalid_request',
      hint: 'Check the `redirect_uri` parameter: it is missing, and client `two` has 2 registered redirect URIs',
    });
  });

  it('refuses a missing client_id', () => {
    const { world } = setup();
    expect(errorOf(() => resolveTarget(Params.from({}), world.deps.repos.clients))).toEqual({
      error: 'invalid_request',
      hint: 'Check the `client_id` parameter: it is missing; expected the client_id Askara gave your application',
    });
  });

  it('refuses an unknown client, naming it', () => {
    const { world } = setup();
    expect(errorOf(() => resolveTarget(Params.from({ client_id: 'ghost' }), world.deps.repos.clients))).toEqual({
      error: 'invalid_request',
      hint: 'No client is registered with client_id `ghost`',
    });
  });

  it('refuses an unregistered redirect URI, listing the registered ones', () => {
    const { world } = setup();
    const params = Params.from({ client_id: 'web', redirect_uri: 'http://127.0.0.1:9999/callback' });
    expect(errorOf(() => resolveTarget(params, world.deps.repos.clients))).toEqual({
      error: 'invalid_request',
      hint:
        'The redirect_uri `http://127.0.0.1:9999/callback` is not registered for client `web`; redirect URIs must match a registered one exactly (registered: http://127.0.0.1:9999/callback?tenant=1)',
    });
  });
});

describe('validateAuthorizationRequest (errors redirected to the client)', () => {
  const base = { client_id: 'web', response_type: 'code', state: 'st' };

  function validate(fixture: ReturnType<typeof setup>, query: Record<string, string>) {
    const params = Params.from(query);
    return validateAuthorizationRequest(params, resolveTarget(params, fixture.world.deps.repos.clients));
  }

  it('returns the validated request with the default scopes', () => {
    const f = setup();
    const request = validate(f, { ...base, login_hint: 'alice@example.com' });
    expect(request).toMatchObject({ responseType: 'code', scope: ['profile', 'organization'], state: 'st', loginHint: 'alice@example.com' });
  });

  it('requires response_type', () => {
    expect(errorOf(() => validate(setup(), { client_id: 'web' }))).toEqual({
      error: 'invalid_request',
      hint: 'Check the `response_type` parameter: it is missing; expected `code`',
    });
  });

  it('refuses an unknown response_type with unsupported_response_type', () => {
    expect(errorOf(() => validate(setup(), { ...base, response_type: 'id_token' }))).toEqual({
      error: 'unsupported_response_type',
      hint: 'response_type `id_token` is not supported; use one of: code, token',
    });
  });

  it('refuses a client not registered for the code grant with unauthorized_client', () => {
    expect(errorOf(() => validate(setup(), { ...base, client_id: 'service' }))).toEqual({
      error: 'unauthorized_client',
      hint: 'Client `service` is not registered for authorization_code (response_type=code); its grant types are: client_credentials',
    });
  });

  it('refuses a scope the client may not request with invalid_scope', () => {
    expect(errorOf(() => validate(setup(), { ...base, scope: 'profile admin' })).error).toBe('invalid_scope');
  });

  it('refuses a state longer than 2048 characters', () => {
    expect(errorOf(() => validate(setup(), { ...base, state: 's'.repeat(2049) }))).toEqual({
      error: 'invalid_request',
      hint: 'state is 2049 characters long; at most 2048 are accepted',
    });
  });

  it('requires PKCE from a public client (RFC 7636 §4.4.1)', () => {
    expect(errorOf(() => validate(setup(), { ...base, client_id: 'desktop' }))).toEqual({
      error: 'invalid_request',
      hint: 'Client `desktop` is public, so it must use PKCE: send code_challenge and code_challenge_method=S256',
    });
  });

  it('accepts a public client with an S256 challenge', () => {
    const { challenge } = pkcePair();
    const request = validate(setup(), { ...base, client_id: 'desktop', code_challenge: challenge, code_challenge_method: 'S256' });
    expect(request.codeChallenge).toBe(challenge);
  });
});

describe('authorization responses', () => {
  it("keeps the redirect URI's own query and appends the response, state and iss (RFC 9207)", () => {
    const url = authorizationResponseUrl({ redirectUri: 'http://127.0.0.1:9999/callback?tenant=1', state: 'a b&c' }, FAKE_ISSUER, { code: 'abc' });
    const parsed = new URL(url);
    expect([...parsed.searchParams]).toEqual([
      ['tenant', '1'],
      ['code', 'abc'],
      ['state', 'a b&c'],
      ['iss', FAKE_ISSUER],
    ]);
  });

  it('puts the response in the fragment when asked (implicit)', () => {
    const url = new URL(authorizationResponseUrl({ redirectUri: 'http://127.0.0.1:9999/cb' }, FAKE_ISSUER, { access_token: 't' }, 'fragment'));
    expect(url.search).toBe('');
    expect(new URLSearchParams(url.hash.slice(1)).get('access_token')).toBe('t');
  });

  it('carries error, error_description, hint and state in an error redirect', () => {
    const url = new URL(errorResponseUrl({ redirectUri: 'http://127.0.0.1:9999/cb', state: 'st' }, FAKE_ISSUER, accessDenied('The user said no')));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      error: 'access_denied',
      error_description: 'The resource owner or authorization server denied the request.',
      hint: 'The user said no',
      state: 'st',
      iss: FAKE_ISSUER,
    });
  });

  it('stores only the hash of an issued code, bound to client, user, redirect URI, scope and challenge', () => {
    const f = setup();
    const { challenge } = pkcePair();
    const params = Params.from({ client_id: 'web', response_type: 'code', scope: 'profile', code_challenge: challenge, code_challenge_method: 'S256' });
    const request = validateAuthorizationRequest(params, resolveTarget(params, f.world.deps.repos.clients));
    const location = new URL(issueAuthorizationCode(request, f.alice.uuid, f.world.deps));
    const code = location.searchParams.get('code') ?? '';
    expect(f.world.store.codes.has(code)).toBe(false);
    expect(f.world.store.codes.get(sha256(code))).toMatchObject({
      clientId: 'web',
      userUuid: 'u-alice',
      redirectUri: 'http://127.0.0.1:9999/callback?tenant=1',
      redirectUriProvided: false,
      scope: ['profile'],
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      expiresAt: f.world.clock.now() + 60_000,
      consumedAt: null,
    });
  });
});

describe('interaction steps', () => {
  function started() {
    const f = setup();
    const params = Params.from({ client_id: 'web', response_type: 'code', scope: 'profile', state: 'st' });
    const request = validateAuthorizationRequest(params, resolveTarget(params, f.world.deps.repos.clients));
    return { ...f, id: startInteraction(request, f.world.deps) };
  }

  it('asks for a login first, then for consent', async () => {
    const f = started();
    expect((await nextStep(f.id, undefined, f.world.deps)).kind).toBe('login');
    expect((await nextStep(f.id, f.alice, f.world.deps)).kind).toBe('consent');
  });

  it('skips consent when the user granted every requested scope before', async () => {
    const f = started();
    f.world.deps.repos.consents.grant(f.alice.uuid, 'web', ['profile', 'organization'], 0);
    const step = await nextStep(f.id, f.alice, f.world.deps);
    expect(step.kind).toBe('redirect');
    expect(step.kind === 'redirect' && new URL(step.location).searchParams.get('code')).toBeTruthy();
  });

  it('answers a denial with access_denied and records no consent', async () => {
    const f = started();
    const location = new URL(await decide(f.id, f.alice, 'deny', f.world.deps));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st');
    expect(f.world.store.consents.size).toBe(0);
    expect(f.world.store.codes.size).toBe(0);
  });

  it('issues one code only, even when the consent form is sent twice', async () => {
    const f = started();
    await decide(f.id, f.alice, 'authorize', f.world.deps);
    expect(await asyncErrorOf(() => decide(f.id, f.alice, 'authorize', f.world.deps))).toEqual({
      error: 'invalid_request',
      hint: 'This authorization request is already finished; go back to the application and sign in again',
    });
    expect(f.world.store.codes.size).toBe(1);
  });

  it('refuses an interaction after 30 minutes', async () => {
    const f = started();
    f.world.clock.advanceBy(30 * 60);
    expect(await asyncErrorOf(() => nextStep(f.id, f.alice, f.world.deps))).toEqual({
      error: 'invalid_request',
      hint: 'This authorization request has expired; go back to the application and sign in again',
    });
  });

  it('refuses a bound interaction to any browser but the one that started it', async () => {
    const f = setup();
    const params = Params.from({ client_id: 'web', response_type: 'code', scope: 'profile', state: 'st' });
    const request = validateAuthorizationRequest(params, resolveTarget(params, f.world.deps.repos.clients));
    const id = startInteraction(request, f.world.deps, 'key-of-browser-a');
    expect(f.world.store.interactions.get(id)?.browserHash).not.toContain('key-of-browser-a');
    const refused = 'This authorization request was started in another browser; go back to the application and sign in again from this browser';
    expect((await asyncErrorOf(() => nextStep(id, f.alice, f.world.deps, 'key-of-browser-b'))).hint).toBe(refused);
    expect((await asyncErrorOf(() => nextStep(id, f.alice, f.world.deps))).hint).toBe(refused);
    expect((await asyncErrorOf(() => decide(id, f.alice, 'authorize', f.world.deps, 'key-of-browser-b'))).hint).toBe(refused);
    expect(f.world.store.codes.size).toBe(0);
    expect((await nextStep(id, f.alice, f.world.deps, 'key-of-browser-a')).kind).toBe('consent');
  });

  it('refuses an unknown interaction id', async () => {
    const f = started();
    expect((await asyncErrorOf(() => nextStep('nope', f.alice, f.world.deps))).hint).toBe(
      'This authorization request is unknown; go back to the application and sign in again',
    );
  });
});
