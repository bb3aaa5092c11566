import { describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser, fieldError, type Form } from '../helpers/console.js';
import { ALICE, BRUNO, ORG, SERVICE } from '../helpers/fixtures.js';
import { databaseSnapshot, getMe, postToken, tokensFor } from '../helpers/oauth.js';

const NEW_USER: Form = {
  email: 'Chloe.Durand@Example.com',
  firstName: 'Chloé',
  lastName: 'Durand',
  password: 'Chloe-console-9!',
  organization: ORG.uuid,
  organizationRole: 'ROLE_ORGANIZATION_MEMBER',
  isVerified: 'true',
};

function passwordGrant(app: TestApp['app'], username: string, password: string) {
  return postToken(app, { grant_type: 'password', username, password, scope: 'profile', client_id: SERVICE.clientId, client_secret: SERVICE.clientSecret });
}

describe('console: users (SPEC §13)', () => {
  it('creates a user whose password (stored as argon2id) logs in', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const res = await browser.submit('/console/users/new', '/console/users', NEW_USER);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/users?done=created&id=Chloe.Durand%40Example.com');
    const user = context.repos.users.findByEmail('chloe.durand@example.com');
    expect(user).toMatchObject({ firstName: 'Chloé', lastName: 'Durand', organizationUuid: ORG.uuid, organizationRole: 'ROLE_ORGANIZATION_MEMBER', isVerified: true });
    expect(context.repos.users.findPasswordHash('chloe.durand@example.com')?.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await passwordGrant(app, 'chloe.durand@example.com', 'Chloe-console-9!')).statusCode).toBe(200);
    expect((await browser.get('/console/users')).body).toContain('Chloe.Durand@Example.com');
  });

  it.each([
    ['an empty e-mail', { email: '' }, 'email', 'Enter an e-mail address.'],
    ['a malformed e-mail', { email: 'not-an-address' }, 'email', 'Enter an e-mail address such as name@example.com.'],
    ['a taken e-mail, in another case', { email: ALICE.email.toUpperCase() }, 'email', 'Another user has this e-mail address.'],
    ['no password', { password: '' }, 'password', 'Enter a password.'],
    ['an unknown organization', { organization: '00000000-0000-4000-8000-000000000000' }, 'organization', 'Choose an organization from the list.'],
    ['an unknown role', { organizationRole: 'ROLE_ROOT' }, 'organizationRole', 'Choose a role from the list.'],
  ])('refuses %s with a message next to the field, a 400 and nothing stored', async (_case, change, field, message) => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const before = databaseSnapshot(context);
    const res = await browser.submit('/console/users/new', '/console/users', { ...NEW_USER, ...change });
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, field)).toBe(message);
    expect(res.body).not.toContain(NEW_USER.password as string);
    expect(databaseSnapshot(context)).toEqual(before);
  });

  it('edits a user: an empty password keeps the old one, other profile fields are kept', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const form = await browser.get(`/console/users/${ALICE.uuid}`);
    expect(form.body).toContain(`value="${ALICE.email}"`);
    const edit = { ...NEW_USER, email: ALICE.email, firstName: 'Alicia', password: '' };
    const res = await browser.post(`/console/users/${ALICE.uuid}`, edit);
    expect(res.statusCode).toBe(303);
    expect(context.repos.users.findByUuid(ALICE.uuid)).toMatchObject({ firstName: 'Alicia', gender: 'female', language: 'fr' });
    expect((await passwordGrant(app, ALICE.email, ALICE.password)).statusCode).toBe(200);
    const taken = await browser.post(`/console/users/${ALICE.uuid}`, { ...edit, email: BRUNO.email });
    expect(fieldError(taken.body, 'email')).toBe('Another user has this e-mail address.');
    await browser.post(`/console/users/${ALICE.uuid}`, { ...edit, password: 'A-new-password-1' });
    expect((await passwordGrant(app, ALICE.email, ALICE.password)).statusCode).toBe(400);
    expect((await passwordGrant(app, ALICE.email, 'A-new-password-1')).statusCode).toBe(200);
  });

  it('removes a user: their tokens stop working at once', async () => {
    const { app, context } = await buildTestApp({ config: { interactiveLogin: false } });
    const tokens = await tokensFor(app);
    const browser = new ConsoleBrowser(app);
    expect((await browser.get(`/console/users/${ALICE.uuid}/remove`)).body).toContain('Remove user');
    const res = await browser.post(`/console/users/${ALICE.uuid}/remove`);
    expect(res.statusCode).toBe(303);
    expect(context.repos.users.findByUuid(ALICE.uuid)).toBeUndefined();
    expect((await getMe(app, tokens.access_token)).statusCode).toBe(401);
    expect((await browser.post(`/console/users/${ALICE.uuid}/remove`)).statusCode).toBe(404);
  });
});

describe('console: organizations (SPEC §13)', () => {
  it('creates and edits an organization, keeping fields the form does not show', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const empty = await browser.submit('/console/organizations/new', '/console/organizations', { name: '' });
    expect(empty.statusCode).toBe(400);
    expect(fieldError(empty.body, 'name')).toBe('Enter a name.');
    const res = await browser.post('/console/organizations', { name: 'Centre du Parc', city: 'Lyon', country: 'FR' });
    expect(res.statusCode).toBe(303);
    const org = context.repos.users.listOrganizations().find((o) => o.name === 'Centre du Parc');
    expect(org).toMatchObject({ city: 'Lyon', country: 'FR', streetAddress: null });
    context.db.$client.prepare('update organizations set vat_number = ? where uuid = ?').run('FR123', org?.uuid);
    const saved = await browser.submit(`/console/organizations/${org?.uuid}`, `/console/organizations/${org?.uuid}`, { name: 'Centre du Parc', city: 'Lille' });
    expect(saved.statusCode).toBe(303);
    expect(context.repos.users.findOrganization(org?.uuid ?? '')).toMatchObject({ city: 'Lille', vatNumber: 'FR123' });
  });

  it('refuses to remove an organization users still belong to, then removes it once they are gone', async () => {
    const { app, context } = await buildTestApp();
    const browser = new ConsoleBrowser(app);
    const refused = await browser.submit(`/console/organizations/${ORG.uuid}/remove`, `/console/organizations/${ORG.uuid}/remove`);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain(`1 user still belongs to ${ORG.name}. Move them to another organization or remove them first.`);
    expect(context.repos.users.findOrganization(ORG.uuid)).toBeDefined();
    await browser.post(`/console/users/${ALICE.uuid}/remove`);
    const removed = await browser.submit(`/console/organizations/${ORG.uuid}/remove`, `/console/organizations/${ORG.uuid}/remove`);
    expect(removed.statusCode).toBe(303);
    expect(context.repos.users.findOrganization(ORG.uuid)).toBeUndefined();
  });
});
