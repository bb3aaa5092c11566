import type { Seed } from '../../src/seed/seed-schema.js';

export const ORG = {
  uuid: '7de3194a-05f7-43c3-9bc5-6d41a6e649e4',
  name: 'Cabinet des Lilas',
  streetAddress: '5 rue des Lilas',
  city: 'Strasbourg',
  postalCode: '67000',
  country: 'FR',
  timezone: 'Europe/Paris',
} as const;

export const ALICE = {
  uuid: '9e2c23ee-90f3-495c-8e2f-8f2404bcd64d',
  email: 'alice.martin@lilas.example',
  password: 'Alice-test-7q!',
  firstName: 'Alice',
  lastName: 'Martin',
  gender: 'female',
  isVerified: true,
  language: 'fr',
  organization: ORG.uuid,
  organizationRole: 'ROLE_ORGANIZATION_ADMIN',
} as const;

export const BRUNO = {
  uuid: 'f4400d05-8a9f-480c-ada7-968da7421f5f',
  email: 'bruno.petit@parc.example',
  password: 'Bruno-test-3k!',
  firstName: 'Bruno',
  lastName: 'Petit',
  isVerified: true,
} as const;

export const WEB = {
  clientId: 'web-client',
  clientSecret: 'web-secret-5c1d4e7f8a9b',
  name: 'Test Web PMS',
  redirectUris: ['http://127.0.0.1:9999/callback'],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['profile', 'organization'],
} as const;

export const DESKTOP = {
  clientId: 'desktop-client',
  name: 'Test Desktop PMS',
  redirectUris: ['http://127.0.0.1/desktop/callback'],
  grantTypes: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
  scopes: ['profile', 'organization'],
} as const;

export const SERVICE = {
  clientId: 'service-client',
  clientSecret: 'service-secret-0a1b2c3d',
  name: 'Test Service',
  redirectUris: ['http://127.0.0.1:9999/service/callback'],
  grantTypes: ['client_credentials', 'password', 'refresh_token', 'implicit'],
  scopes: ['profile', 'organization'],
} as const;

/** The canonical test seed: one organization, two users, three clients (confidential, public, service). */
export const TEST_SEED: Seed = {
  organizations: [{ ...ORG }],
  users: [{ ...ALICE }, { ...BRUNO }],
  clients: [
    { ...WEB, redirectUris: [...WEB.redirectUris], grantTypes: [...WEB.grantTypes], scopes: [...WEB.scopes] },
    { ...DESKTOP, redirectUris: [...DESKTOP.redirectUris], grantTypes: [...DESKTOP.grantTypes], scopes: [...DESKTOP.scopes] },
    { ...SERVICE, redirectUris: [...SERVICE.redirectUris], grantTypes: [...SERVICE.grantTypes], scopes: [...SERVICE.scopes] },
  ],
};
