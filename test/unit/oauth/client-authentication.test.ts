import { describe, expect, it } from 'vitest';
import { authenticateClient } from '../../../src/oauth/client-authentication.js';
import { OAuthError } from '../../../src/oauth/errors.js';
import { Params } from '../../../src/oauth/request-parameters.js';
import { hashClientSecret } from '../../../src/shared/random.js';
import { fakeClient, fakeWorld } from '../../helpers/fake-repositories.js';
import { basicAuth } from '../../helpers/oauth.js';

const world = fakeWorld();
world.addClient(fakeClient({ id: 'web' }), hashClientSecret('s3cret: with+symbols%'));
world.addClient(fakeClient({ id: 'desktop', isPublic: true }), null);
const clients = world.deps.repos.clients;

function authenticate(authorization: string | undefined, body: Record<string, unknown>) {
  return authenticateClient({ authorization, params: Params.from(body) }, clients);
}

function refusal(authorization: string | undefined, body: Record<string, unknown>) {
  try {
    authenticate(authorization, body);
  } catch (e) {
    if (e instanceof OAuthError) return { status: e.status, body: e.toJSON(), headers: e.headers };
    throw e;
  }
  throw new Error('expected a refusal');
}

const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="askara-emulator", charset="UTF-8"' };
const FAILED = 'Client authentication failed';

describe('authenticateClient', () => {
  it('authenticates a confidential client by client_secret in the body (client_secret_post)', () => {
    const result = authenticate(undefined, { client_id: 'web', client_secret: 's3cret: with+symbols%' });
    expect(result.method).toBe('client_secret_post');
    expect(result.client.id).toBe('web');
  });

  it('authenticates by HTTP Basic with form-encoded id and secret (RFC 6749 §2.3.1)', () => {
    const result = authenticate(basicAuth('web', 's3cret: with+symbols%'), {});
    expect(result.method).toBe('client_secret_basic');
  });

  it('accepts the Basic scheme name in any case', () => {
    const header = basicAuth('web', 's3cret: with+symbols%').replace('Basic', 'bAsIc');
    expect(authenticate(header, {}).method).toBe('client_secret_basic');
  });

  it('authenticates a public client by client_id alone (method none)', () => {
    expect(authenticate(undefined, { client_id: 'desktop' }).method).toBe('none');
  });

  it('refuses a wrong secret with 401 invalid_client and no challenge when Basic was not tried', () => {
    expect(refusal(undefined, { client_id: 'web', client_secret: 'wrong' })).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: FAILED, hint: 'The client_secret does not match the one registered for `web`' },
      headers: {},
    });
  });

  it('refuses a wrong Basic secret with WWW-Authenticate: Basic (RFC 6749 §5.2)', () => {
    expect(refusal(basicAuth('web', 'wrong'), {})).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: FAILED, hint: 'The client_secret does not match the one registered for `web`' },
      headers: BASIC_CHALLENGE,
    });
  });

  it('never echoes the secret it was given', () => {
    expect(JSON.stringify(refusal(undefined, { client_id: 'web', client_secret: 'wrong-secret-value' }))).not.toContain('wrong-secret-value');
  });

  it('refuses an unknown client with 401, naming the client_id', () => {
    expect(refusal(undefined, { client_id: 'nobody', client_secret: 'x' }).body).toEqual({
      error: 'invalid_client',
      error_description: FAILED,
      hint: 'No client is registered with client_id `nobody`',
    });
  });

  it('refuses a request with no client authentication at all', () => {
    expect(refusal(undefined, {}).body.hint).toBe(
      'No client authentication: send client_id (and client_secret for a confidential client) in the body or as HTTP Basic',
    );
  });

  it('refuses a confidential client that sends no secret', () => {
    expect(refusal(undefined, { client_id: 'web' }).body.hint).toBe('Client `web` is confidential: send its client_secret in the body or as HTTP Basic');
  });

  it('refuses a secret sent for a public client', () => {
    expect(refusal(undefined, { client_id: 'desktop', client_secret: 'x' }).body.hint).toBe(
      'Client `desktop` is public and has no secret: send client_id alone (and PKCE for the code flow)',
    );
  });

  it('refuses two authentication methods at once (RFC 6749 §2.3) with invalid_request', () => {
    expect(refusal(basicAuth('web', 's3cret: with+symbols%'), { client_secret: 's3cret: with+symbols%' })).toEqual({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: expect.any(String),
        hint: 'The client authenticated twice: send client_secret either in the Authorization header or in the body, not both',
      },
      headers: {},
    });
  });

  it('refuses a body client_id that differs from the Basic one', () => {
    expect(refusal(basicAuth('web', 's3cret: with+symbols%'), { client_id: 'desktop' }).body.hint).toBe(
      'client_id `desktop` in the body differs from `web` in the Authorization header',
    );
  });

  it('accepts a body client_id equal to the Basic one', () => {
    expect(authenticate(basicAuth('web', 's3cret: with+symbols%'), { client_id: 'web' }).method).toBe('client_secret_basic');
  });

  it.each([
    ['not base64', 'Basic ***', 'The Authorization: Basic header is not valid base64'],
    ['no colon', `Basic ${Buffer.from('web').toString('base64')}`, 'The Authorization: Basic credentials must be "client_id:client_secret"'],
    ['bad percent-encoding', `Basic ${Buffer.from('web:%E0%A4%A').toString('base64')}`, 'The Authorization: Basic credentials are not valid form-urlencoded text (RFC 6749 §2.3.1)'],
  ])('refuses a malformed Basic header (%s) with 401 and a Basic challenge', (_what, header, hint) => {
    expect(refusal(header, {})).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: FAILED, hint },
      headers: BASIC_CHALLENGE,
    });
  });
});
