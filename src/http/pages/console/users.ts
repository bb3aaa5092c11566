import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../context.js';
import { FormValues, type FieldErrors } from '../../../console/form.js';
import { NEW_USER, readUserForm, ROLES, saveUser, userFields, type UserFields } from '../../../console/users.js';
import { consolePage, doneUrl, noticeOf, notFound } from './render.js';
import { CONSOLE_GUARD, formSchema, pageSchema } from '../../schemas.js';

type Id = { Params: { id: string } };

const NOTICES = {
  created: (id: string) => `User ${id} was created.`,
  updated: (id: string) => `User ${id} was saved.`,
  removed: (id: string) => `User ${id} was removed, with their sessions, consents and tokens.`,
};

const userPath = (uuid: string) => `/console/users/${encodeURIComponent(uuid)}`;

/** Users (SPEC §13): list, create, edit, remove. Passwords are stored as argon2id hashes. */
export async function consoleUserRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const protection = { preHandler: app.csrfProtection };
  const { users } = context.repos;

  const form = (reply: FastifyReply, fields: UserFields, options: { uuid?: string; errors?: FieldErrors }) =>
    consolePage(
      reply,
      context,
      'console-user-form',
      {
        title: options.uuid ? `User ${fields.email}` : 'New user',
        section: '/console/users',
        fields,
        uuid: options.uuid,
        action: options.uuid ? userPath(options.uuid) : '/console/users',
        organizations: users.listOrganizations().map((o) => ({ uuid: o.uuid, name: o.name ?? o.uuid })),
        roles: ROLES,
        errors: options.errors ?? {},
      },
      options.errors ? 400 : 200,
    );

  app.get('/console/users', pageSchema('Console', 'List the users', CONSOLE_GUARD), async (request, reply) => {
    const orgNames = new Map(users.listOrganizations().map((o) => [o.uuid, o.name ?? o.uuid]));
    return consolePage(reply, context, 'console-users', {
      title: 'Users',
      section: '/console/users',
      notice: noticeOf(request.query, NOTICES),
      users: users.list().map((u) => ({ ...u, organizationName: u.organizationUuid ? orgNames.get(u.organizationUuid) : undefined })),
    });
  });

  app.get('/console/users/new', pageSchema('Console', 'The form for a new user', CONSOLE_GUARD), async (_request, reply) => form(reply, NEW_USER, {}));

  app.post('/console/users', { ...formSchema('Console', 'Create a user', { email: 'Email', password: 'Password (blank keeps it, when editing)', firstName: 'First name', lastName: 'Last name', isVerified: 'Verified (checkbox)', organization: 'Organization uuid', organizationRole: 'Role in it' }, { then: 'To the list of users' }), ...protection }, async (request, reply) => {
    const values = FormValues.from(request.body);
    const outcome = await saveUser(context.repos, values, context.clock.now());
    if (!outcome?.ok) return form(reply, readUserForm(values), { errors: outcome?.errors ?? {} });
    request.log.info({ userUuid: outcome.uuid }, 'user created (console)');
    return reply.redirect(doneUrl('/console/users', 'created', readUserForm(values).email), 303);
  });

  app.get<Id>('/console/users/:id', pageSchema('Console', 'Edit a user', CONSOLE_GUARD), async (request, reply) => {
    const user = users.findByUuid(request.params.id);
    if (!user) return notFound(reply, context, '/console/users', `The user ${request.params.id}`);
    return form(reply, userFields(user), { uuid: user.uuid });
  });

  app.post<Id>('/console/users/:id', { ...formSchema('Console', 'Save a user', { email: 'Email', password: 'Password (blank keeps it, when editing)', firstName: 'First name', lastName: 'Last name', isVerified: 'Verified (checkbox)', organization: 'Organization uuid', organizationRole: 'Role in it' }, { then: 'To the list of users' }), ...protection }, async (request, reply) => {
    const { id } = request.params;
    const values = FormValues.from(request.body);
    const outcome = await saveUser(context.repos, values, context.clock.now(), id);
    if (!outcome) return notFound(reply, context, '/console/users', `The user ${id}`);
    if (!outcome.ok) return form(reply, readUserForm(values), { uuid: id, errors: outcome.errors });
    request.log.info({ userUuid: id }, 'user changed (console)');
    return reply.redirect(doneUrl('/console/users', 'updated', readUserForm(values).email), 303);
  });

  app.get<Id>('/console/users/:id/remove', pageSchema('Console', 'Confirm removing a user', CONSOLE_GUARD), async (request, reply) => {
    const user = users.findByUuid(request.params.id);
    if (!user) return notFound(reply, context, '/console/users', `The user ${request.params.id}`);
    return consolePage(reply, context, 'console-confirm', {
      title: `Remove ${user.email}?`,
      section: '/console/users',
      message: `The user ${user.email} and their sessions, consents, codes, device codes and tokens are deleted at once: their tokens stop working. A user from the seed file comes back at the next start.`,
      action: `${userPath(user.uuid)}/remove`,
      button: 'Remove user',
      back: userPath(user.uuid),
    });
  });

  app.post<Id>('/console/users/:id/remove', { ...formSchema('Console', 'Remove a user, with their tokens, sessions and grants', {}, { then: 'To the list of users' }), ...protection }, async (request, reply) => {
    const { id } = request.params;
    const user = users.findByUuid(id);
    if (!user || !users.remove(id)) return notFound(reply, context, '/console/users', `The user ${id}`);
    request.log.info({ userUuid: id }, 'user removed (console)');
    return reply.redirect(doneUrl('/console/users', 'removed', user.email), 303);
  });
}
