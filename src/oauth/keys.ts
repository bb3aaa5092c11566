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
 * one, so a rotation does not invalidate live tokens. A store loaded from a new database has no
 * active key until `activate`: createEmulator generates the first one while it builds the app and
 * activates it before it returns, so no request ever meets a store without one.
 */
export class KeyStore implements TokenSigner {
  readonly #repo: SigningKeyRepository;
  #active: { kid: string; key: KeyObject } | undefined;
  #jwks: JSONWebKeySet = { keys: [] };
  #publicKeys = new Map<string, KeyObject>();

  private constructor(repo: SigningKeyRepository) {
    this.#repo = repo;
    this.#load();
  }

  /** The stored keys as they are (no active key on a new database). */
  static load(repo: SigningKeyRepository): KeyStore {
    return new KeyStore(repo);
  }

  /** Loads the keys, storing `firstKey` (or a newly generated one) when none is active. */
  static async open(repo: SigningKeyRepository, now: number, firstKey?: SigningKeyRecord): Promise<KeyStore> {
    const store = new KeyStore(repo);
    if (!store.activeKid) store.activate(firstKey ?? (await generateSigningKey(now)), now);
    return store;
  }

  /** Generates a new active key; the previous one stays published for verification. */
  static async rotate(repo: SigningKeyRepository, now: number): Promise<SigningKeyRecord> {
    const key = await generateSigningKey(now);
    repo.activate(key, now);
    return key;
  }

  /** Stores `key` as the active key (the previous one, if any, is retired and stays published) and signs with it. */
  activate(key: SigningKeyRecord, now: number): void {
    this.#repo.activate(key, now);
    this.#load();
  }

  #load(): void {
    const keys = this.#repo.all();
    const active = keys.find((k) => k.status === 'active');
    this.#active = active && { kid: active.kid, key: createPrivateKey(active.privateKeyPem) };
    this.#jwks = { keys: keys.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })) };
    this.#publicKeys = new Map(keys.map((k) => [k.kid, createPublicKey({ key: k.publicJwk as JsonWebKey, format: 'jwk' })]));
  }

  get activeKid(): string | undefined {
    return this.#active?.kid;
  }

  /** The public JWK Set (RFC 7517 §5): current and retired keys, public members only. */
  jwks(): JSONWebKeySet {
    return this.#jwks;
  }

  sign(claims: Record<string, unknown>, typ: string): Promise<string> {
    if (!this.#active) return Promise.reject(new Error('no active signing key: KeyStore.activate() was not called'));
    return signRs256({ alg: 'RS256', typ, kid: this.#active.kid }, claims, this.#active.key);
  }

  verify(jwt: string, options: { issuer: string; now: number; acceptExpired?: boolean }): Promise<Record<string, unknown>> {
    return verifyRs256(jwt, this.#publicKeys, options);
  }
}
