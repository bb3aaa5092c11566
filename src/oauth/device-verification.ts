import { expiredToken, invalidRequest, type OAuthError } from './errors.js';
import { formatUserCode, normalizeUserCode } from './device-authorization.js';
import type { Client, DeviceCodeRecord, ProtocolDeps, User } from './ports.js';

/** A device authorization waiting for its user, found by the code the user typed. */
export interface PendingDevice {
  record: DeviceCodeRecord;
  client: Client;
  /** As people see it: XXXX-XXXX. */
  userCode: string;
}

/** Why a typed code leads nowhere: only `unknown` is a wrong guess (the others are real codes or typos). */
export type LookupFailure = 'malformed' | 'unknown' | 'expired' | 'decided';

export type DeviceLookup = { ok: true; device: PendingDevice } | { ok: false; reason: LookupFailure; error: OAuthError };

const EXPECTED = '8 letters from BCDFGHJKLMNPQRSTVWXZ, with or without the dash (e.g. WDJB-MJHT)';

/**
 * Finds the pending device authorization of a user code (RFC 8628 §3.3), as the verification
 * page and the control API need it. Failures carry a hint for integrators; pages word their own.
 */
export function findPendingDevice(input: string | undefined, deps: ProtocolDeps): DeviceLookup {
  const fail = (reason: LookupFailure, error: OAuthError): DeviceLookup => ({ ok: false, reason, error });
  if (input === undefined) return fail('malformed', invalidRequest(`Check the \`user_code\` parameter: it is missing; expected ${EXPECTED}`));
  const code = normalizeUserCode(input);
  if (code === undefined) return fail('malformed', invalidRequest(`The \`user_code\` is not a user code; expected ${EXPECTED}`));
  const shown = formatUserCode(code);
  const record = deps.repos.deviceCodes.findByUserCode(code);
  const client = record && deps.repos.clients.find(record.clientId);
  if (!record || !client) {
    return fail('unknown', invalidRequest(`No device authorization has the user_code ${shown}; check it against the device authorization response`, { status: 404 }));
  }
  if (record.status !== 'pending') {
    const what = record.status === 'denied' ? 'denied' : 'approved';
    return fail('decided', invalidRequest(`The device authorization with user_code ${shown} was already ${what}; a user code is decided once`, { status: 409 }));
  }
  if (deps.clock.now() >= record.expiresAt) {
    return fail(
      'expired',
      expiredToken(`The user_code ${shown} expired at ${new Date(record.expiresAt).toISOString()} (emulator clock); start a new device authorization`),
    );
  }
  return { ok: true, device: { record, client, userCode: shown } };
}

/**
 * Records the user's decision (RFC 8628 §3.3: the user approves or denies on the verification
 * page). Approving binds the user; the tokens are made when the device polls. One conditional
 * UPDATE, so a double-submitted form or a racing control call decides once.
 */
export function decideDevice(device: PendingDevice, user: User, decision: 'approve' | 'deny', deps: ProtocolDeps): void {
  const status = decision === 'approve' ? 'approved' : 'denied';
  if (!deps.repos.deviceCodes.decide(device.record.deviceCodeHash, status, user.uuid, deps.clock.now())) {
    throw invalidRequest(`The device authorization with user_code ${device.userCode} was decided meanwhile or has expired`, { status: 409 });
  }
}
