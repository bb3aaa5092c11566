import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { BRUNO, DESKTOP } from '../helpers/fixtures.js';
import { decodeJwt } from '../helpers/oauth.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const client: oauth.Client = { client_id: DESKTOP.clientId };

async function discover(server: RunningServer): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(server.url);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
}

/** The poll's OAuth error code, or the tokens. */
async function poll(as: oauth.AuthorizationServer, deviceCode: string) {
  const res = await oauth.deviceCodeGrantRequest(as, client, oauth.None(), deviceCode, insecure);
  try {
    return { tokens: await oauth.processDeviceCodeResponse(as, client, res) };
  } catch (e) {
    if (e instanceof oauth.ResponseBodyError) return { error: e.error, status: e.status };
    throw e;
  }
}

describe('the device flow with oauth4webapi over a real socket', () => {
  it('discovers the endpoint, starts, polls through pending and slow_down, and gets a pair after approval', async () => {
    const server = await startServer();
    const as = await discover(server);
    expect(as.device_authorization_endpoint).toBe(`${server.url}/oauth2/device-code`);

    const started = await oauth.deviceAuthorizationRequest(as, client, oauth.None(), { scope: 'profile organization' }, insecure);
    const d = await oauth.processDeviceAuthorizationResponse(as, client, started);
    expect(d).toMatchObject({ verification_uri: `${server.url}/device`, expires_in: 600, interval: 5 });

    expect(await poll(as, d.device_code)).toEqual({ error: 'authorization_pending', status: 400 });
    expect(await poll(as, d.device_code)).toEqual({ error: 'slow_down', status: 400 });

    const approved = await fetch(`${server.url}/_emulator/device/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_code: d.user_code, email: BRUNO.email }),
    });
    expect(approved.status).toBe(200);
    server.clock.advanceBy((d.interval ?? 5) + 5);
    const { tokens } = await poll(as, d.device_code);
    expect(tokens?.token_type).toBe('bearer');
    expect(tokens?.refresh_token).toMatch(/^def50200/);
    expect(decodeJwt(tokens?.access_token ?? '').payload).toMatchObject({ sub: BRUNO.uuid, iss: server.url, aud: DESKTOP.clientId });

    server.clock.advanceBy(10);
    expect(await poll(as, d.device_code)).toEqual({ error: 'invalid_grant', status: 400 });
  });

  it('sees access_denied and expired_token as RFC 8628 errors', async () => {
    const server = await startServer();
    const as = await discover(server);
    const denied = await oauth.processDeviceAuthorizationResponse(as, client, await oauth.deviceAuthorizationRequest(as, client, oauth.None(), {}, insecure));
    await fetch(`${server.url}/_emulator/device/deny`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_code: denied.user_code, user: BRUNO.uuid }),
    });
    expect(await poll(as, denied.device_code)).toEqual({ error: 'access_denied', status: 400 });
    const late = await oauth.processDeviceAuthorizationResponse(as, client, await oauth.deviceAuthorizationRequest(as, client, oauth.None(), {}, insecure));
    server.clock.advanceBy(601);
    expect(await poll(as, late.device_code)).toEqual({ error: 'expired_token', status: 400 });
  });
});
