/**
 * What the protocol core needs from the outside world, declared by the core (STYLE §3.7).
 * The storage layer implements these on SQLite; unit tests implement them with plain Maps.
 * Instants are milliseconds since the epoch on the emulator clock.
 */
import type { Clock } from '../shared/clock.js';

export interface Client {
  id: string;
  name: string;
  /** No secret: a public client (SPEC §3). */
  isPublic: boolean;
  redirectUris: string[];
  grantTypes: string[];
  scopes: string[];
}

export interface Organization {
  uuid: string;
  name: string | null;
  vatNumber: string | null;
  streetAddress: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  timezone: string | null;
  phone: string | null;
  secretariatEmail: string | null;
  website: string | null;
  dentalNomenclatureSystem: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface User {
  uuid: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  gender: string | null;
  isVerified: boolean | null;
  phone: string | null;
  rpps: string | null;
  am: string | null;
  language: string | null;
  timezone: string | null;
  languageSpokenAutoDetect: boolean | null;
  languageSpoken: string | null;
  languageDocument: string | null;
  organizationUuid: string | null;
  organizationRole: string | null;
}

export interface ClientRepository {
  find(clientId: string): Client | undefined;
  /** The client with its secret hash (null for public clients): for client authentication only. */
  findWithSecretHash(clientId: string): { client: Client; secretHash: string | null } | undefined;
}

export interface UserRepository {
  findByUuid(uuid: string): User | undefined;
  /** Case-insensitive. */
  findByEmail(email: string): User | undefined;
  /** The first user of the seed (INTERACTIVE_LOGIN=false without login_hint). */
  findFirst(): User | undefined;
  /** The argon2id hash for a login; undefined for an unknown e-mail. */
  findPasswordHash(email: string): { user: User; passwordHash: string | null } | undefined;
}

export interface AuthorizationCodeRecord {
  codeHash: string;
  familyId: string;
  clientId: string;
  userUuid: string;
  redirectUri: string;
  redirectUriProvided: boolean;
  scope: string[];
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  issuedAt: number;
  expiresAt: number;
  consumedAt: number | null;
}

export interface AuthorizationCodeRepository {
  save(code: AuthorizationCodeRecord): void;
  /** The code with that hash, consumed or not; undefined when unknown. */
  find(codeHash: string): AuthorizationCodeRecord | undefined;
  /** Marks it consumed if, and only if, it was not: one conditional UPDATE. True when this call consumed it. */
  consume(codeHash: string, now: number): boolean;
}

export interface AccessTokenRecord {
  jti: string;
  familyId: string;
  clientId: string;
  /** null for client_credentials tokens. */
  userUuid: string | null;
  scope: string[];
  grantType: string;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** `user` is undefined for a client_credentials token; `organization` when the user has none. */
export interface AccessTokenWithUser {
  token: AccessTokenRecord;
  user: User | undefined;
  organization: Organization | undefined;
}

export interface RefreshTokenRecord {
  /** The key it is stored under: its issue time and the SHA-256 of its value (refresh-token-format.ts). */
  tokenHash: string;
  familyId: string;
  clientId: string;
  userUuid: string;
  scope: string[];
  issuedAt: number;
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
}

export interface TokenRepository {
  saveAccessToken(token: AccessTokenRecord): void;
  saveRefreshToken(token: RefreshTokenRecord): void;
  findAccessToken(jti: string): AccessTokenRecord | undefined;
  /** The access token with its user and the user's organization, in one read (bearer authentication, /me). */
  findAccessTokenWithUser(jti: string): AccessTokenWithUser | undefined;
  findRefreshToken(tokenHash: string): RefreshTokenRecord | undefined;
  /** Spends it if it is neither used nor revoked: one conditional UPDATE. True when this call spent it. */
  spendRefreshToken(tokenHash: string, now: number): boolean;
  /** Revokes every access and refresh token of the family that is not revoked yet. */
  revokeFamily(familyId: string, now: number): void;
  revokeAccessToken(jti: string, now: number): void;
}

/** A validated /authorize request waiting for the user (login, then consent). */
export interface InteractionRecord {
  id: string;
  clientId: string;
  responseType: string;
  redirectUri: string;
  redirectUriProvided: boolean;
  scope: string[];
  state: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  loginHint: string | null;
  /** SHA-256 of the browser key of the browser that started it; null when not bound. */
  browserHash: string | null;
  createdAt: number;
  expiresAt: number;
  completedAt: number | null;
}

export interface InteractionRepository {
  save(interaction: InteractionRecord): void;
  find(id: string): InteractionRecord | undefined;
  /** Completes it if it was not: one conditional UPDATE. True when this call completed it. */
  complete(id: string, now: number): boolean;
}

export interface ConsentRepository {
  /** The scopes the user granted the client so far; empty when never asked. */
  find(userUuid: string, clientId: string): string[];
  /** Adds scopes to what the user granted the client. */
  grant(userUuid: string, clientId: string, scopes: readonly string[], now: number): void;
}

export interface SessionRepository {
  create(session: { idHash: string; userUuid: string; createdAt: number; expiresAt: number }): void;
  /** The user of a live session; undefined when unknown or expired. */
  findUser(idHash: string, now: number): string | undefined;
  delete(idHash: string): void;
}

/** RFC 8628 §3.3: a device authorization moves pending → approved | denied (by the user) → used (tokens issued). */
export type DeviceCodeStatus = 'pending' | 'approved' | 'denied' | 'used';

export interface DeviceCodeRecord {
  deviceCodeHash: string;
  /** Normalized: 8 letters of USER_CODE_ALPHABET, upper case, no dash. */
  userCode: string;
  clientId: string;
  scope: string[];
  status: DeviceCodeStatus;
  /** The user who approved or denied; null while pending. */
  userUuid: string | null;
  familyId: string;
  /** The polling interval in effect for this code (grows by 5 s on each slow_down). */
  intervalSeconds: number;
  lastPolledAt: number | null;
  issuedAt: number;
  expiresAt: number;
  decidedAt: number | null;
}

export interface DeviceCodeRepository {
  save(code: DeviceCodeRecord): void;
  /** The code with that device code hash, whatever its status; undefined when unknown. */
  find(deviceCodeHash: string): DeviceCodeRecord | undefined;
  /** The code with that normalized user code, whatever its status or expiry; undefined when unknown. */
  findByUserCode(userCode: string): DeviceCodeRecord | undefined;
  /** Records a poll at `now`; with `slowDown`, also adds 5 s to the code's interval (in the same UPDATE). */
  recordPoll(deviceCodeHash: string, now: number, slowDown: boolean): void;
  /** pending → approved | denied for `userUuid` if, and only if, it is still pending and unexpired: one conditional UPDATE. */
  decide(deviceCodeHash: string, decision: 'approved' | 'denied', userUuid: string, now: number): boolean;
  /** approved → used: one conditional UPDATE. True when this call spent it. */
  markUsed(deviceCodeHash: string): boolean;
}

/** Runs `fn` atomically: every write in it commits together or not at all. */
export type Transaction = <T>(fn: () => T) => T;

/**
 * As Transaction, but the commit may be shared with other requests' writes (group commit): `fn`
 * runs at once, and the promise resolves with its result once its writes are durable. For the
 * token endpoint, where a commit would otherwise cost more than the rest of the request.
 */
export type GroupedTransaction = <T>(fn: () => T) => Promise<T>;

export interface Repositories {
  clients: ClientRepository;
  users: UserRepository;
  authorizationCodes: AuthorizationCodeRepository;
  tokens: TokenRepository;
  interactions: InteractionRepository;
  consents: ConsentRepository;
  sessions: SessionRepository;
  deviceCodes: DeviceCodeRepository;
  transaction: Transaction;
  commit: GroupedTransaction;
}

/** Signs access tokens and verifies them against the published keys. */
export interface TokenSigner {
  sign(claims: Record<string, unknown>, typ: string): Promise<string>;
  /**
   * The verified payload, or throws (any error: the token is not valid). `acceptExpired` checks
   * the signature and issuer only, for revoking a token that has expired (RFC 7009 §2.1).
   */
  verify(jwt: string, options: { issuer: string; now: number; acceptExpired?: boolean }): Promise<Record<string, unknown>>;
}

export interface PasswordVerifier {
  verify(hash: string, password: string): Promise<boolean>;
}

/** The outcome of a login (SPEC §7): the user, one uniform failure, or a locked account. */
export type LoginResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' }
  /** `justLocked`: this attempt's failure is the one that locked the account. */
  | { ok: false; reason: 'locked'; userUuid: string; until: number; justLocked: boolean };

/** Checks an e-mail and password with the login lockout (login page and password grant alike). */
export interface UserAuthenticator {
  authenticate(email: string, password: string): Promise<LoginResult>;
}

/** Settings the core reads (a slice of Config, so unit tests can build it by hand). */
export interface ProtocolSettings {
  issuer: () => string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  authCodeTtl: number;
  /** RFC 8628 `expires_in` of a device code, seconds. */
  deviceCodeTtl: number;
  /** RFC 8628 `interval`: the initial minimum seconds between polls. */
  devicePollInterval: number;
  accessTokenTyp: string;
  refreshReuse: 'revoke-family' | 'reject';
}

/** What the core reports to observers (metrics); optional, so unit tests can leave it out. */
export interface ProtocolEvents {
  /** An access token (and maybe a refresh token) was saved for `grantType`. */
  tokensIssued(event: { grantType: string; clientId: string }): void;
}

export interface ProtocolDeps {
  settings: ProtocolSettings;
  clock: Clock;
  repos: Repositories;
  signer: TokenSigner;
  accounts: UserAuthenticator;
  events?: ProtocolEvents;
}
