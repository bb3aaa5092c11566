import type { Seed } from './seed-schema.js';

/** The built-in demo data (SPEC §3), used when ASKARA_SEED is unset and printed at start. */
export const DEMO_SEED: Seed = {
  organizations: [
    {
      uuid: '095be615-a8ad-4c33-8e9c-c7612fbf6c9f',
      name: 'Cabinet des Lilas',
      streetAddress: '5 rue des Lilas',
      city: 'Strasbourg',
      postalCode: '67000',
      country: 'FR',
      timezone: 'Europe/Paris',
      phone: '+33388000000',
      dentalNomenclatureSystem: 'fdi',
    },
  ],
  users: [
    {
      uuid: '5b0c7c1e-7a57-4c1e-9f3a-2d6f0e8b1a01',
      email: 'john.doe@example.com',
      password: 'askara-demo',
      firstName: 'John',
      lastName: 'Doe',
      gender: 'male',
      isVerified: true,
      language: 'fr',
      timezone: 'Europe/Paris',
      organization: '095be615-a8ad-4c33-8e9c-c7612fbf6c9f',
      organizationRole: 'ROLE_ORGANIZATION_ADMIN',
    },
    {
      uuid: '8d3f2a9b-1c4e-4b7a-a6d5-3e9f0c2b7d02',
      email: 'jane.smith@example.com',
      password: 'askara-demo',
      firstName: 'Jane',
      lastName: 'Smith',
      gender: 'female',
      isVerified: true,
      language: 'fr',
      organization: '095be615-a8ad-4c33-8e9c-c7612fbf6c9f',
      organizationRole: 'ROLE_ORGANIZATION_MEMBER',
    },
  ],
  clients: [
    {
      clientId: 'demo-web-client',
      clientSecret: 'demo-web-secret',
      name: 'Demo Practice Web App',
      redirectUris: ['http://localhost:3000/callback'],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['profile', 'organization'],
    },
    {
      clientId: 'demo-desktop-client',
      name: 'Demo Desktop PMS',
      redirectUris: ['http://127.0.0.1/callback'],
      grantTypes: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      scopes: ['profile', 'organization'],
    },
  ],
};
