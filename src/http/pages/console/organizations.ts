import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../context.js';
import { FormValues, type FieldErrors } from '../../../console/form.js';
import {
  NEW_ORGANIZATION,
  organizationFields,
  readOrganizationForm,
  removeOrganization,
  saveOrganization,
  type OrganizationFields,
} from '../../../console/organizations.js';
import { consolePage, doneUrl, noticeOf, notFound } from './render.js';
import { CONSOLE_GUARD, formSchema, pageSchema } from '../../schemas.js';

type Id = { Params: { id: string } };

const NOTICES = {
  created: (id: string) => `Organization ${id} was created.`,
  updated: (id: string) => `Organization ${id} was saved.`,
  removed: (id: string) => `Organization ${id} was removed.`,
};

const orgPath = (uuid: string) => `/console/organizations/${encodeURIComponent(uuid)}`;

/** Organizations (SPEC §13): list, create, edit, remove (only when no user belongs to it). */
export async function consoleOrganizationRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const protection = { preHandler: app.csrfProtection };
  const { users } = context.repos;

  const form = (reply: FastifyReply, fields: OrganizationFields, options: { uuid?: string; errors?: FieldErrors }) =>
    consolePage(
      reply,
      context,
      'console-organization-form',
      {
        title: options.uuid ? `Organization ${fields.name || options.uuid}` : 'New organization',
        section: '/console/organizations',
        fields,
        uuid: options.uuid,
        action: options.uuid ? orgPath(options.uuid) : '/console/organizations',
        errors: options.errors ?? {},
      },
      options.errors ? 400 : 200,
    );

  app.get('/console/organizations', pageSchema('Console', 'List the organizations', CONSOLE_GUARD), async (request, reply) =>
    consolePage(reply, context, 'console-organizations', {
      title: 'Organizations',
      section: '/console/organizations',
      notice: noticeOf(request.query, NOTICES),
      organizations: users.listOrganizations().map((o) => ({ ...o, members: users.countMembers(o.uuid) })),
    }),
  );

  app.get('/console/organizations/new', pageSchema('Console', 'The form for a new organization', CONSOLE_GUARD), async (_request, reply) => form(reply, NEW_ORGANIZATION, {}));

  app.post('/console/organizations', { ...formSchema('Console', 'Create an organization', { name: 'Name', streetAddress: 'Street address', postalCode: 'Postal code', city: 'City', country: 'Country', timezone: 'Time zone', phone: 'Phone', website: 'Website' }, { then: 'To the list of organizations' }), ...protection }, async (request, reply) => {
    const values = FormValues.from(request.body);
    const outcome = saveOrganization(context.repos, values, context.clock.now());
    if (!outcome?.ok) return form(reply, readOrganizationForm(values), { errors: outcome?.errors ?? {} });
    request.log.info({ organizationUuid: outcome.uuid }, 'organization created (console)');
    return reply.redirect(doneUrl('/console/organizations', 'created', readOrganizationForm(values).name), 303);
  });

  app.get<Id>('/console/organizations/:id', pageSchema('Console', 'Edit an organization', CONSOLE_GUARD), async (request, reply) => {
    const org = users.findOrganization(request.params.id);
    if (!org) return notFound(reply, context, '/console/organizations', `The organization ${request.params.id}`);
    return form(reply, organizationFields(org), { uuid: org.uuid });
  });

  app.post<Id>('/console/organizations/:id', { ...formSchema('Console', 'Save an organization', { name: 'Name', streetAddress: 'Street address', postalCode: 'Postal code', city: 'City', country: 'Country', timezone: 'Time zone', phone: 'Phone', website: 'Website' }, { then: 'To the list of organizations' }), ...protection }, async (request, reply) => {
    const { id } = request.params;
    const values = FormValues.from(request.body);
    const outcome = saveOrganization(context.repos, values, context.clock.now(), id);
    if (!outcome) return notFound(reply, context, '/console/organizations', `The organization ${id}`);
    if (!outcome.ok) return form(reply, readOrganizationForm(values), { uuid: id, errors: outcome.errors });
    request.log.info({ organizationUuid: id }, 'organization changed (console)');
    return reply.redirect(doneUrl('/console/organizations', 'updated', readOrganizationForm(values).name), 303);
  });

  const confirm = (reply: FastifyReply, uuid: string, error?: string) => {
    const org = users.findOrganization(uuid);
    if (!org) return notFound(reply, context, '/console/organizations', `The organization ${uuid}`);
    return consolePage(
      reply,
      context,
      'console-confirm',
      {
        title: `Remove ${org.name ?? org.uuid}?`,
        section: '/console/organizations',
        message: 'The organization is deleted. Only an organization that no user belongs to can be removed.',
        error,
        action: `${orgPath(org.uuid)}/remove`,
        button: 'Remove organization',
        back: orgPath(org.uuid),
      },
      error ? 409 : 200,
    );
  };

  app.get<Id>('/console/organizations/:id/remove', pageSchema('Console', 'Confirm removing an organization', CONSOLE_GUARD), async (request, reply) => confirm(reply, request.params.id));

  app.post<Id>('/console/organizations/:id/remove', { ...formSchema('Console', 'Remove an organization (its users stay, without one)', {}, { then: 'To the list of organizations' }), ...protection }, async (request, reply) => {
    const { id } = request.params;
    const name = users.findOrganization(id)?.name ?? id;
    const outcome = removeOrganization(context.repos, id);
    if (!outcome) return notFound(reply, context, '/console/organizations', `The organization ${id}`);
    if (!outcome.ok) {
      const who = outcome.members === 1 ? '1 user still belongs' : `${outcome.members} users still belong`;
      return confirm(reply, id, `${who} to ${name}. Move them to another organization or remove them first.`);
    }
    request.log.info({ organizationUuid: id }, 'organization removed (console)');
    return reply.redirect(doneUrl('/console/organizations', 'removed', name), 303);
  });
}
