import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns.js';

/** Askara's Organization object (reference askara-api-notes §10.1), one column per field. */
export const organizations = sqliteTable('organizations', {
  uuid: text('uuid').primaryKey(),
  name: text('name'),
  vatNumber: text('vat_number'),
  streetAddress: text('street_address'),
  postalCode: text('postal_code'),
  city: text('city'),
  country: text('country'),
  latitude: real('latitude'),
  longitude: real('longitude'),
  timezone: text('timezone'),
  phone: text('phone'),
  secretariatEmail: text('secretariat_email'),
  website: text('website'),
  dentalNomenclatureSystem: text('dental_nomenclature_system'),
  ...timestamps,
});

/** Askara's User resource (§10.1) plus the login: an argon2id hash, never the password. */
export const users = sqliteTable(
  'users',
  {
    uuid: text('uuid').primaryKey(),
    email: text('email').notNull(),
    // lower-cased e-mail: logins are case-insensitive, and unique on this column
    emailKey: text('email_key').notNull().unique(),
    passwordHash: text('password_hash'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    gender: text('gender'),
    isVerified: integer('is_verified', { mode: 'boolean' }),
    phone: text('phone'),
    rpps: text('rpps'),
    am: text('am'),
    language: text('language'),
    timezone: text('timezone'),
    languageSpokenAutoDetect: integer('language_spoken_auto_detect', { mode: 'boolean' }),
    languageSpoken: text('language_spoken'),
    languageDocument: text('language_document'),
    // removing an organization leaves its users without one rather than deleting them
    organizationUuid: text('organization_uuid').references(() => organizations.uuid, { onDelete: 'set null' }),
    organizationRole: text('organization_role'),
    ...timestamps,
  },
  (t) => [index('users_organization_idx').on(t.organizationUuid)],
);
