import { generateKeyPairSync } from 'node:crypto';
import { importSPKI, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { JwsError, signRs256, verifyRs256 } from '../../../src/oauth/jws.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = new Map([['k1', publicKey]]);
const NOW = Date.parse('2026-01-15T09:00:00Z');
const ISS = 'http://issuer.test';
const claims = { iss: ISS, sub: 'u', iat: NOW / 1000, nbf: NOW / 1000, exp: NOW / 1000 + 60 };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof JwsError) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('RS256 compact JWS', () => {
  it('signs tokens that jose verifies, and verifies tokens jose signs', async () => {
    const jwt = await signRs256({ typ: 'JWT', kid: 'k1' }, claims, privateKey);
    const spki = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
    const { payload, protectedHeader } = await jwtVerify(jwt, spki, { issuer: ISS, currentDate: new Date(NOW) });
    expect(protectedHeader).toEqual({ typ: 'JWT', kid: 'k1', alg: 'RS256' });
    expect(payload.sub).toBe('u');
    const fromJose = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);
    expect((await verifyRs256(fromJose, keys, { issuer: ISS, now: NOW })).sub).toBe('u');
  });

  it('refuses a tampered payload, an unknown kid, another alg, crit headers and non-base64url parts', async () => {
    const jwt = await signRs256({ kid: 'k1' }, claims, privateKey);
    const [h, , s] = jwt.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${s}`;
    expect(await codeOf(verifyRs256(forged, keys, { issuer: ISS, now: NOW }))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    expect(await codeOf(verifyRs256(await signRs256({ kid: 'k2' }, claims, privateKey), keys, { issuer: ISS, now: NOW }))).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    );
    const none = `${Buffer.from('{"alg":"none","kid":"k1"}').toString('base64url')}.${jwt.split('.')[1]}.x`;
    expect(await codeOf(verifyRs256(none, keys, { issuer: ISS, now: NOW }))).toBe('ERR_JWS_INVALID');
    const hs = `${Buffer.from('{"alg":"HS256","kid":"k1"}').toString('base64url')}.${jwt.split('.')[1]}.${s}`;
    expect(await codeOf(verifyRs256(hs, keys, { issuer: ISS, now: NOW }))).toBe('ERR_JWS_INVALID');
    expect(await codeOf(verifyRs256(await signRs256({ kid: 'k1', crit: ['x'] }, claims, privateKey), keys, { issuer: ISS, now: NOW }))).toBe(
      'ERR_JWS_INVALID',
    );
    expect(await codeOf(verifyRs256(`${jwt}=`, keys, { issuer: ISS, now: NOW }))).toBe('ERR_JWS_INVALID');
    expect(await codeOf(verifyRs256('a.b', keys, { issuer: ISS, now: NOW }))).toBe('ERR_JWS_INVALID');
  });

  it('checks iss, exp and nbf on the given clock, and accepts an expired token only when asked', async () => {
    const jwt = await signRs256({ kid: 'k1' }, claims, privateKey);
    expect(await codeOf(verifyRs256(jwt, keys, { issuer: 'http://other', now: NOW }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await codeOf(verifyRs256(jwt, keys, { issuer: ISS, now: NOW + 59_999 }))).toBe('accepted');
    expect(await codeOf(verifyRs256(jwt, keys, { issuer: ISS, now: NOW + 60_000 }))).toBe('ERR_JWT_EXPIRED');
    expect(await codeOf(verifyRs256(jwt, keys, { issuer: ISS, now: NOW + 60_000, acceptExpired: true }))).toBe('accepted');
    expect(await codeOf(verifyRs256(jwt, keys, { issuer: ISS, now: NOW - 1000 }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    const noExp = await signRs256({ kid: 'k1' }, { iss: ISS }, privateKey);
    expect(await codeOf(verifyRs256(noExp, keys, { issuer: ISS, now: NOW }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });
});
