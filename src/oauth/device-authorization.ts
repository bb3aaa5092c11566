import { deviceCodeValue, sha256, USER_CODE_ALPHABET, userCodeValue } from '../shared/random.js';
import { authenticateClient } from './client-authentication.js';
import { invalidRequest, serverError, unauthorizedClient } from './errors.js';
import { DEVICE_CODE_GRANT } from './grants/device-code.js';
import type { ProtocolDeps } from './ports.js';
import type { Params } from './request-parameters.js';
import { parseScope, resolveScope } from './scope.js';
import { newFamilyId } from './token-issuer.js';

/** RFC 8628 §3.2 response, keys in league's order (reference notes §6b). */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  expires_in: number;
  verification_uri_complete: string;
  interval: number;
}

const USER_CODE = new RegExp(`^[${USER_CODE_ALPHABET}]{8}$`);

/**
 * RFC 8628 §6.1: "the authorization server should ignore any characters like punctuation that
 * are not in the user-code character set" and compare case-insensitively. The normalized code
 * (8 letters, upper case), or undefined when the input cannot be a user code.
 */
export function normalizeUserCode(input: string): string | undefined {
  // spaces, hyphens, en and em dashes, underscores and dots; the dashes as escapes: one character
  // beyond Latin-1 makes V8 hold the whole 3 MB bundle as UTF-16 (test/packaging/built-artifacts.test.ts)
  const code = input.replace(/[\s\-\u2013\u2014_.]/g, '').toUpperCase();
  return USER_CODE.test(code) ? code : undefined;
}

/** How people see a user code: XXXX-XXXX. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export function verificationUri(issuer: string): string {
  return `${issuer}/device`;
}

/** A user code no other device authorization holds (expired ones keep theirs until reset). */
function uniqueUserCode(deps: ProtocolDeps): string {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const code = userCodeValue();
    if (!deps.repos.deviceCodes.findByUserCode(code)) return code;
  }
  throw serverError('Could not draw an unused user code');
}

/**
 * POST /oauth2/device-code (RFC 8628 §3.1–3.2): authenticates the client (client_id alone for a
 * public client, its secret for a confidential one), checks it may use the device grant, and
 * issues a device code and a user code.
 */
export function authorizeDevice(input: { authorization: string | undefined; params: Params }, deps: ProtocolDeps): DeviceAuthorizationResponse {
  const { params } = input;
  // RFC 8628 §3.1: "client_id REQUIRED if the client is not authenticating with the authorization server"
  if (!/^basic /i.test(input.authorization ?? '') && !params.has('client_id')) {
    throw invalidRequest('Check the `client_id` parameter: it is missing; send the client_id of your application in the body');
  }
  const { client } = authenticateClient(input, deps.repos.clients);
  if (!client.grantTypes.includes(DEVICE_CODE_GRANT)) {
    throw unauthorizedClient(`Client \`${client.id}\` is not registered for the device grant (${DEVICE_CODE_GRANT}); its grant types are: ${client.grantTypes.join(', ')}`);
  }
  const scope = resolveScope(parseScope(params.get('scope')), client);
  const { settings, clock, repos } = deps;
  const now = clock.now();
  const deviceCode = deviceCodeValue();
  const userCode = uniqueUserCode(deps);
  repos.deviceCodes.save({
    deviceCodeHash: sha256(deviceCode),
    userCode,
    clientId: client.id,
    scope,
    status: 'pending',
    userUuid: null,
    familyId: newFamilyId(now),
    intervalSeconds: settings.devicePollInterval,
    lastPolledAt: null,
    issuedAt: now,
    expiresAt: now + settings.deviceCodeTtl * 1000,
    decidedAt: null,
  });
  const uri = verificationUri(settings.issuer());
  const shown = formatUserCode(userCode);
  return {
    device_code: deviceCode,
    user_code: shown,
    verification_uri: uri,
    expires_in: settings.deviceCodeTtl,
    verification_uri_complete: `${uri}?user_code=${shown}`,
    interval: settings.devicePollInterval,
  };
}
