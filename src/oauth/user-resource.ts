import type { Organization, User } from './ports.js';

/** Askara's Organization object as /me shows it (reference notes §10.1). */
export function organizationResource(org: Organization) {
  return {
    uuid: org.uuid,
    name: org.name,
    vatNumber: org.vatNumber,
    streetAddress: org.streetAddress,
    postalCode: org.postalCode,
    city: org.city,
    country: org.country,
    latitude: org.latitude,
    longitude: org.longitude,
    timezone: org.timezone,
    phone: org.phone,
    secretariatEmail: org.secretariatEmail,
    website: org.website,
    dentalNomenclatureSystem: org.dentalNomenclatureSystem,
    createdAt: new Date(org.createdAt).toISOString(),
    updatedAt: new Date(org.updatedAt).toISOString(),
    users: [] as string[],
  };
}

/**
 * Askara's User resource (SPEC §6.5): every field of the API reference, unknown values null,
 * plus `organizations` as the quickstart shows it. Organization data needs the `organization`
 * scope; without it, `organization` and `organizationRole` are null and `organizations` empty.
 */
export function userResource(user: User, organization: Organization | undefined, scopes: readonly string[]) {
  const withOrg = scopes.includes('organization') && organization !== undefined;
  const org = withOrg ? organizationResource(organization) : null;
  return {
    uuid: user.uuid,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    gender: user.gender,
    isVerified: user.isVerified,
    phone: user.phone,
    rpps: user.rpps,
    am: user.am,
    language: user.language,
    timezone: user.timezone,
    languageSpokenAutoDetect: user.languageSpokenAutoDetect,
    languageSpoken: user.languageSpoken,
    languageDocument: user.languageDocument,
    organization: org,
    organizationRole: withOrg ? user.organizationRole : null,
    organizations: org ? [org] : [],
  };
}
