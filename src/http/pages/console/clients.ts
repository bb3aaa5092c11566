import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../context.js';
import { clientFields, createClient, GRANT_CHOICES, NEW_CLIENT, readClientForm, renewClientSecret, updateClient, type ClientFields } from '../../../console/clients.js';
import { FormValues, type FieldErrors } from '../../../console/form.js';
import { OneTimeSecrets } from '../../../console/one-time-secrets.js';
import { consolePage, doneUrl, noticeOf, notFound } from './render.js';
import { CONSOLE_GUARD, formSchema, pageSchema } from '../../schemas.js';

type Id = { Params: { id: string }; Querystring: { once?: string } };

const NOTICES = {
  created: (id: string) => `Client ${id} was created.`,
  updated: (id: string) => `Client ${id} was saved.`,
  removed: (id: string) => `Client ${id} was removed, with its codes, consents and tokens.`,
};

const clientPath = (id: string) => `/console/clients/${encodeURIComponent(id)}`;

/** Clients (SPEC §13): list, create, edit, new secret, remove. A new secret is shown once. */
export async function consoleClientRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const protection = { preHandler: app.csrfProtection };
  const secrets = new OneTimeSecrets();
  context.onReset.push(() => secrets.clear());

  const form = (reply: FastifyReply, fields: ClientFields, options: { editing: boolean; errors?: FieldErrors }) =>
    consolePage(
      reply,
      context,
      'console-client-form',
      {
        title: options.editing ? `Client ${fields.clientId}` : 'New client',
        section: '/console/clients',
        fields,
        editing: options.editing,
        action: options.editing ? clientPath(fields.clientId) : '/console/clients',
        grantChoices: GRANT_CHOICES,
        errors: options.errors ?? {},
      },
      options.errors ? 400 : 200,
    );

  /** After a change that made a secret: show it once, on the page the redirect leads to. */
  const showSecret = (reply: FastifyReply, clientId: string, secret: string) =>
    reply.redirect(`${clientPath(clientId)}/secret?once=${secrets.put(clientId, secret, context.clock.now())}`, 303);

  app.get('/console/clients', pageSchema('Console', 'List the clients', CONSOLE_GUARD), async (request, reply) =>
    consolePage(reply, context, 'console-clients', {
      title: 'Clients',
      section: '/console/clients',
      notice: noticeOf(request.query, NOTICES),
      clients: context.repos.clients.list(),
    }),
  );

  app.get('/console/clients/new', pageSchema('Console', 'The form for a new client', CONSOLE_GUARD), async (_request, reply) => form(reply, NEW_CLIENT, { editing: false }));

  app.post('/console/clients', { ...formSchema('Console', 'Create a client', { clientId: 'client_id', name: 'Name', type: 'confidential or public', redirectUris: 'Redirect URIs, one a line', grantTypes: 'Grant types (repeated)', scopes: 'Scopes, space-separated' }, { then: 'To the client, showing its new secret once' }), ...protection }, async (request, reply) => {
    const values = FormValues.from(request.body);
    const outcome = createClient(context.repos, values, context.clock.now());
    if (!outcome.ok) return form(reply, readClientForm(values), { editing: false, errors: outcome.errors });
    request.log.info({ clientId: outcome.clientId }, 'client created (console)');
    if (outcome.secret) return showSecret(reply, outcome.clientId, outcome.secret);
    return reply.redirect(doneUrl('/console/clients', 'created', outcome.clientId), 303);
  });

  app.get<Id>('/console/clients/:id', pageSchema('Console', 'Edit a client', CONSOLE_GUARD), async (request, reply) => {
    const client = context.repos.clients.find(request.params.id);
    if (!client) return notFound(reply, context, '/console/clients', `The client ${request.params.id}`);
    return form(reply, clientFields(client), { editing: true });
  });

  app.post<Id>('/console/clients/:id', { ...formSchema('Console', 'Save a client', { clientId: 'client_id', name: 'Name', type: 'confidential or public', redirectUris: 'Redirect URIs, one a line', grantTypes: 'Grant types (repeated)', scopes: 'Scopes, space-separated' }, { then: 'To the list of clients' }), ...protection }, async (request, reply) => {
    const { id } = request.params;
    const values = FormValues.from(request.body);
    const outcome = updateClient(context.repos, id, values, context.clock.now());
    if (!outcome) return notFound(reply, context, '/console/clients', `The client ${id}`);
    if (!outcome.ok) return form(reply, { ...readClientForm(values), clientId: id }, { editing: true, errors: outcome.errors });
    request.log.info({ clientId: id }, 'client changed (console)');
    if (outcome.secret) return showSecret(reply, id, outcome.secret);
    return reply.redirect(doneUrl('/console/clients', 'updated', id), 303);
  });

  app.post<Id>('/console/clients/:id/secret', { ...formSchema('Console', 'Give a confidential client a new secret', {}, { then: 'To the page that shows it once' }), ...protection }, async (request, reply) => {
    const { id } = request.params;
    const secret = renewClientSecret(context.repos, id, context.clock.now());
    if (!secret) return notFound(reply, context, '/console/clients', `A confidential client ${id}`);
    request.log.info({ clientId: id }, 'client secret renewed (console)');
    return showSecret(reply, id, secret);
  });

  app.get<Id>('/console/clients/:id/secret', pageSchema('Console', 'The new secret of a client, shown once', CONSOLE_GUARD), async (request, reply) => {
    const { id } = request.params;
    const client = context.repos.clients.find(id);
    if (!client) return notFound(reply, context, '/console/clients', `The client ${id}`);
    const secret = secrets.take(String(request.query.once ?? ''), id, context.clock.now());
    return consolePage(reply, context, 'console-client-secret', { title: `Secret of ${client.name}`, section: '/console/clients', client, secret, issuer: context.runtime.issuer });
  });

  app.get<Id>('/console/clients/:id/remove', pageSchema('Console', 'Confirm removing a client', CONSOLE_GUARD), async (request, reply) => {
    const client = context.repos.clients.find(request.params.id);
    if (!client) return notFound(reply, context, '/console/clients', `The client ${request.params.id}`);
    return consolePage(reply, context, 'console-confirm', {
      title: `Remove ${client.name}?`,
      section: '/console/clients',
      message: `The client ${client.id} and every code, consent, device code and token issued to it are deleted at once: its tokens stop working. A client from the seed file comes back at the next start.`,
      action: `${clientPath(client.id)}/remove`,
      button: 'Remove client',
      back: clientPath(client.id),
    });
  });

  app.post<Id>('/console/clients/:id/remove', { ...formSchema('Console', 'Remove a client, with its tokens and grants', {}, { then: 'To the list of clients' }), ...protection }, async (request, reply) => {
    const { id } = request.params;
    if (!context.repos.clients.remove(id)) return notFound(reply, context, '/console/clients', `The client ${id}`);
    request.log.info({ clientId: id }, 'client removed (console)');
    return reply.redirect(doneUrl('/console/clients', 'removed', id), 303);
  });
}
