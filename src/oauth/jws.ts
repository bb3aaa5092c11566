import { sign as rsaSign, verify as rsaVerify, type KeyObject } from 'node:crypto';

/**
 * RS256 compact JWS (RFC 7515) for access tokens, on node:crypto's asynchronous sign and verify,
 * which run the RSA work on libuv's thread pool: both cores sign while the event loop serves
 * requests. jose (through WebCrypto) costs about 60 µs of event-loop time per signature and 50 µs
 * per verification here, which capped the token endpoint and /me (bench/README.md); key
 * generation and JWK export still use jose. Only RS256 is accepted: no algorithm comes from the token.
 */

export type JwsErrorCode =
  | 'ERR_JWS_INVALID'
  | 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_CLAIM_VALIDATION_FAILED';

/** Codes as jose names them, so callers can map them to hints. */
export class JwsError extends Error {
  override name = 'JwsError';
  constructor(
    readonly code: JwsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decodeObject(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new JwsError('ERR_JWS_INVALID', `the ${what} is not base64url JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JwsError('ERR_JWS_INVALID', `the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

export function signRs256(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): Promise<string> {
  const input = `${encode({ ...header, alg: 'RS256' })}.${encode(payload)}`;
  return new Promise((resolve, reject) => {
    rsaSign('sha256', Buffer.from(input, 'ascii'), key, (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}

export interface VerifyOptions {
  issuer: string;
  /** Milliseconds on the emulator clock. */
  now: number;
  /** Skip `exp`: revocation accepts a validly signed token after it expired. */
  acceptExpired?: boolean;
}

/** Verifies signature (RFC 7515 §5.2), then `iss`, `exp` and `nbf` (RFC 7519 §4.1) on the emulator clock. */
export async function verifyRs256(jwt: string, keys: ReadonlyMap<string, KeyObject>, options: VerifyOptions): Promise<Record<string, unknown>> {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) throw new JwsError('ERR_JWS_INVALID', 'not a compact JWS');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeObject(h, 'header');
  if (header.alg !== 'RS256') throw new JwsError('ERR_JWS_INVALID', 'alg is not RS256');
  // RFC 7515 §4.1.11: a "crit" extension this server does not know must make the JWS invalid
  if (header.crit !== undefined) throw new JwsError('ERR_JWS_INVALID', 'crit header parameters are not supported');
  const key = typeof header.kid === 'string' ? keys.get(header.kid) : undefined;
  if (!key) throw new JwsError('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'unknown kid');
  const valid = await new Promise<boolean>((resolve, reject) => {
    rsaVerify('sha256', Buffer.from(`${h}.${p}`, 'ascii'), key, Buffer.from(s, 'base64url'), (error, ok) => (error ? reject(error) : resolve(ok)));
  });
  if (!valid) throw new JwsError('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature verification failed');
  const claims = decodeObject(p, 'payload');
  if (claims.iss !== options.issuer) throw new JwsError('ERR_JWT_CLAIM_VALIDATION_FAILED', 'unexpected iss');
  const now = Math.floor(options.now / 1000);
  if (typeof claims.exp !== 'number') throw new JwsError('ERR_JWT_CLAIM_VALIDATION_FAILED', 'exp is missing');
  if (!options.acceptExpired && claims.exp <= now) throw new JwsError('ERR_JWT_EXPIRED', 'the token has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > now) throw new JwsError('ERR_JWT_CLAIM_VALIDATION_FAILED', 'the token is not valid yet');
  return claims;
}
