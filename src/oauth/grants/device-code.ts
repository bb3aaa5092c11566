import { sha256 } from '../../shared/random.js';
import { accessDenied, authorizationPending, expiredToken, invalidGrant, slowDown } from '../errors.js';
import type { DeviceCodeRecord, ProtocolDeps } from '../ports.js';
import { prepareTokens, saveTokens } from '../token-issuer.js';
import type { GrantHandler } from './grant.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const START_AGAIN = 'start a new device authorization with POST /oauth2/device-code';

/**
 * RFC 8628 §3.5: "slow_down: A variant of authorization_pending, the authorization request is
 * still pending and polling should continue, but the interval MUST be increased by 5 seconds for
 * this and all subsequent requests." Only a pending code is slowed down (once the user has
 * decided, the answer is the decision); the first poll never is. Every poll is recorded.
 */
function checkPollRate(code: DeviceCodeRecord, deps: ProtocolDeps): void {
  const now = deps.clock.now();
  const since = code.lastPolledAt === null ? undefined : now - code.lastPolledAt;
  const tooSoon = code.status === 'pending' && since !== undefined && since < code.intervalSeconds * 1000;
  deps.repos.deviceCodes.recordPoll(code.deviceCodeHash, now, tooSoon);
  if (tooSoon) {
    const interval = code.intervalSeconds + 5;
    throw slowDown(
      `This poll came ${(since / 1000).toFixed(1)} s after the previous one, sooner than the interval of ${code.intervalSeconds} s; the interval for this device_code is now ${interval} s: wait at least that long between polls`,
    );
  }
}

/** RFC 8628 §3.4–3.5: the device polls with its device_code until the user decides. */
export const deviceCodeGrant: GrantHandler = {
  grantType: DEVICE_CODE_GRANT,
  allowsPublicClients: true,

  async handle({ client, params }, deps) {
    const value = params.require('device_code', 'the device_code of your device authorization response');
    const { repos, clock } = deps;
    const code = repos.deviceCodes.find(sha256(value));
    if (!code) throw invalidGrant('No device authorization matches `device_code`: send the device_code of your device authorization response unchanged');
    // RFC 8628 §3.4 ("client_id REQUIRED if the client is not authenticating"): the code is bound to its client
    if (code.clientId !== client.client.id) {
      throw invalidGrant(`This device_code was issued to another client, not to \`${client.client.id}\``);
    }
    if (code.status === 'used') throw invalidGrant(`This device_code was already exchanged for tokens (device codes are single-use); ${START_AGAIN}`);
    // RFC 8628 §3.5 expired_token: "The device_code has expired, and the device authorization session has concluded."
    if (clock.now() >= code.expiresAt) {
      const ttl = Math.round((code.expiresAt - code.issuedAt) / 1000);
      throw expiredToken(`The device_code expired at ${new Date(code.expiresAt).toISOString()} (device codes are valid for ${ttl} seconds); ${START_AGAIN}`);
    }
    checkPollRate(code, deps);
    if (code.status === 'denied') {
      throw accessDenied(`The user denied this device authorization; ${START_AGAIN} if they change their mind`);
    }
    if (code.status === 'pending' || code.userUuid === null) {
      throw authorizationPending(
        `The user has not decided yet on the verification page: poll again in ${code.intervalSeconds} seconds (the interval), until expires_in runs out`,
      );
    }

    const prepared = await prepareTokens(
      {
        clientId: code.clientId,
        userUuid: code.userUuid,
        scope: code.scope,
        familyId: code.familyId,
        grantType: DEVICE_CODE_GRANT,
        withRefreshToken: client.client.grantTypes.includes('refresh_token'),
      },
      deps,
    );
    // single use: only the poll that moves approved → used saves and returns the tokens
    const won = await repos.commit(() => {
      if (!repos.deviceCodes.markUsed(code.deviceCodeHash)) return false;
      saveTokens(prepared, deps);
      return true;
    });
    if (!won) throw invalidGrant(`This device_code was already exchanged for tokens by a concurrent poll (device codes are single-use); ${START_AGAIN}`);
    return prepared.response;
  },
};
