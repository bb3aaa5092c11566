/**
 * What the console (SPEC §13) needs from storage beyond the protocol core's ports: listing,
 * creating, changing and removing records. Implemented by src/storage/repositories.
 * Instants are milliseconds since the epoch on the emulator clock.
 */
import type { Client, Organization, User } from '../oauth/ports.js';

export interface ClientInput {
  clientId: string;
  name: string;
  /** null: a public client. */
  secretHash: string | null;
  redirectUris: string[];
  grantTypes: string[];
  scopes: string[];
}

/** A user's fields as stored; `passwordHash` left out keeps the stored one. */
export type UserInput = Omit<User, 'organizationUuid' | 'organizationRole'> & {
  organizationUuid: string | null;
  organizationRole: string | null;
  passwordHash?: string | null;
};

export type OrganizationInput = Omit<Organization, 'createdAt' | 'updatedAt'>;

/** The tokens of one authorization (one family) that still work. */
export interface LiveFamily {
  familyId: string;
  clientId: string;
  /** null for client_credentials. */
  userUuid: string | null;
  grantType: string;
  scope: string[];
  /** When its first token still alive was issued, and when its last one expires. */
  issuedAt: number;
  expiresAt: number;
  accessTokens: number;
  refreshTokens: number;
}

export interface ConsentView {
  userUuid: string;
  clientId: string;
  scope: string[];
  updatedAt: number;
}

export interface DeviceCodeView {
  userCode: string;
  clientId: string;
  scope: string[];
  status: string;
  userUuid: string | null;
  expiresAt: number;
}

export interface ConsoleRepositories {
  clients: {
    list(): Client[];
    find(clientId: string): Client | undefined;
    findWithSecretHash(clientId: string): { client: Client; secretHash: string | null } | undefined;
    upsert(input: ClientInput, now: number): void;
    /** Removes it; its codes, tokens, consents and device codes go with it (ON DELETE CASCADE). */
    remove(clientId: string): boolean;
  };
  users: {
    list(): User[];
    findByUuid(uuid: string): User | undefined;
    findByEmail(email: string): User | undefined;
    upsert(input: UserInput, now: number): void;
    /** Removes it; its sessions, consents, codes and tokens go with it (ON DELETE CASCADE). */
    remove(uuid: string): boolean;
    listOrganizations(): Organization[];
    findOrganization(uuid: string): Organization | undefined;
    upsertOrganization(input: OrganizationInput, now: number): void;
    removeOrganization(uuid: string): boolean;
    countMembers(organizationUuid: string): number;
  };
  tokens: {
    /** Families with at least one unexpired, unrevoked (and, for refresh tokens, unspent) token, newest first. */
    listLiveFamilies(now: number): LiveFamily[];
  };
  consents: {
    list(): ConsentView[];
    remove(userUuid: string, clientId: string): boolean;
  };
  deviceCodes: {
    /** Unexpired codes still waiting for a person or for the device's next poll. */
    listOpen(now: number): DeviceCodeView[];
  };
  transaction<T>(fn: () => T): T;
}
