/** JSON Schema of a seed file (SPEC §3); the README's "Seed format" section documents it. */

const nullableString = { type: ['string', 'null'] } as const;

const organization = {
  type: 'object',
  required: ['uuid'],
  additionalProperties: false,
  properties: {
    uuid: { type: 'string', format: 'uuid' },
    name: nullableString,
    vatNumber: nullableString,
    streetAddress: nullableString,
    postalCode: nullableString,
    city: nullableString,
    country: nullableString,
    latitude: { type: ['number', 'null'] },
    longitude: { type: ['number', 'null'] },
    timezone: nullableString,
    phone: nullableString,
    secretariatEmail: nullableString,
    website: nullableString,
    dentalNomenclatureSystem: nullableString,
  },
} as const;

const user = {
  type: 'object',
  required: ['uuid', 'email', 'password'],
  additionalProperties: false,
  properties: {
    uuid: { type: 'string', format: 'uuid' },
    email: { type: 'string', format: 'email' },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
    firstName: nullableString,
    lastName: nullableString,
    gender: { enum: ['female', 'male', 'unknown', null] },
    isVerified: { type: ['boolean', 'null'] },
    phone: nullableString,
    rpps: nullableString,
    am: nullableString,
    language: nullableString,
    timezone: nullableString,
    languageSpokenAutoDetect: { type: ['boolean', 'null'] },
    languageSpoken: nullableString,
    languageDocument: nullableString,
    organization: { type: ['string', 'null'], format: 'uuid' },
    organizationRole: { enum: ['ROLE_ORGANIZATION_ADMIN', 'ROLE_ORGANIZATION_MEMBER', null] },
  },
} as const;

const client = {
  type: 'object',
  required: ['clientId', 'name'],
  additionalProperties: false,
  properties: {
    clientId: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7E]+$' },
    clientSecret: { type: 'string', minLength: 1, maxLength: 1024 },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    redirectUris: { type: 'array', items: { type: 'string', minLength: 1 } },
    grantTypes: {
      type: 'array',
      items: {
        enum: [
          'authorization_code',
          'refresh_token',
          'urn:ietf:params:oauth:grant-type:device_code',
          'device_code',
          'client_credentials',
          'password',
          'implicit',
        ],
      },
    },
    scopes: { type: 'array', items: { type: 'string', pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' } },
  },
} as const;

export const seedSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    organizations: { type: 'array', items: organization },
    users: { type: 'array', items: user },
    clients: { type: 'array', items: client },
  },
} as const;

export interface SeedOrganization {
  uuid: string;
  name?: string | null;
  vatNumber?: string | null;
  streetAddress?: string | null;
  postalCode?: string | null;
  city?: string | null;
  country?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  timezone?: string | null;
  phone?: string | null;
  secretariatEmail?: string | null;
  website?: string | null;
  dentalNomenclatureSystem?: string | null;
}

export interface SeedUser {
  uuid: string;
  email: string;
  password: string;
  firstName?: string | null;
  lastName?: string | null;
  gender?: 'female' | 'male' | 'unknown' | null;
  isVerified?: boolean | null;
  phone?: string | null;
  rpps?: string | null;
  am?: string | null;
  language?: string | null;
  timezone?: string | null;
  languageSpokenAutoDetect?: boolean | null;
  languageSpoken?: string | null;
  languageDocument?: string | null;
  organization?: string | null;
  organizationRole?: 'ROLE_ORGANIZATION_ADMIN' | 'ROLE_ORGANIZATION_MEMBER' | null;
}

export interface SeedClient {
  clientId: string;
  clientSecret?: string;
  name: string;
  redirectUris?: string[];
  grantTypes?: string[];
  scopes?: string[];
}

export interface Seed {
  organizations?: SeedOrganization[];
  users?: SeedUser[];
  clients?: SeedClient[];
}
