import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';
import { signRs256, verifyRs256 } from './jws.js';
import type { TokenSigner } from './ports.js';

export interface SigningKeyRecord {
  kid: string;
  alg: 'RS256';
  publicJwk: JWK;
  privateKeyPem: string;
  status: 'active' | 'retired';
  createdAt: number;
  retiredAt: number | null;
}

export interface SigningKeyRepository {
  /** Every key, active first, then retired ones newest first. */
  all(): SigningKeyRecord[];
  /** Retires the active key (if any) and stores `key` as the new active one, atomically. */
  activate(key: SigningKeyRecord, now: number): void;
}

/** A new RSA-2048 key pair for RS256, identified by its RFC 7638 thumbprint. */
export async function generateSigningKey(now: number): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return {
    kid,
    alg: 'RS256',
    publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' },
    privateKeyPem: await exportPKCS8(privateKey),
    status: 'active',
    createdAt: now,
    retiredAt: null,
  };
}

/**
 * The server's signing keys (SPEC §4): signs with the active key, verifies with any published
 * one, so a rotation does not invalidate live tokens.
 */
export class KeyStore implements TokenSigner {
  #active: { kid: string; key: KeyObject };
  #jwks: JSONWebKeySet;
  #publicKeys: Map<string, KeyObject>;

  private constructor(keys: SigningKeyRecord[]) {
    const active = keys.find((k) => k.status === 'active');
    if (!active) throw new Error('no active signing key');
    this.#active = { kid: active.kid, key: createPrivateKey(active.privateKeyPem) };
    this.#jwks = { keys: keys.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })) };
    this.#publicKeys = new Map(keys.map((k) => [k.kid, createPublicKey({ key: k.publicJwk as JsonWebKey, format: 'jwk' })]));
  }

  /** Loads the keys, storing `firstKey` (or a newly generated one) on first start. */
  static async open(repo: SigningKeyRepository, now: number, firstKey?: SigningKeyRecord): Promise<KeyStore> {
    let keys = repo.all();
    if (!keys.some((k) => k.status === 'active')) {
      repo.activate(firstKey ?? (await generateSigningKey(now)), now);
      keys = repo.all();
    }
    return new KeyStore(keys);
  }

  /** Generates a new active key; the previous one stays published for verification. */
  static async rotate(repo: SigningKeyRepository, now: number): Promise<SigningKeyRecord> {
    const key = await generateSigningKey(now);
    repo.activate(key, now);
    return key;
  }

  get activeKid(): string {
    return this.#active.kid;
  }

  /** The public JWK Set (RFC 7517 §5): current and retired keys, public members only. */
  jwks(): JSONWebKeySet {
    return this.#jwks;
  }

  sign(claims: Record<string, unknown>, typ: string): Promise<string> {
    return signRs256({ alg: 'RS256', typ, kid: this.#active.kid }, claims, this.#active.key);
  }

  verify(jwt: string, options: { issuer: string; now: number; acceptExpired?: boolean }): Promise<Record<string, unknown>> {
    return verifyRs256(jwt, this.#publicKeys, options);
  }
}
