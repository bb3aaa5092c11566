import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { FormValues } from '../../../console/form.js';
import { revokeFamily } from '../../../oauth/revocation.js';
import { formatUserCode } from '../../../oauth/device-authorization.js';
import { consolePage, doneUrl, noticeOf, when } from './render.js';
import { CONSOLE_GUARD, formSchema, pageSchema } from '../../schemas.js';

type Family = { Params: { family: string } };

const NOTICES = {
  revoked: () => 'The tokens were revoked: they stop working at once.',
  unknown: () => 'Nothing to revoke: those tokens had already expired or been revoked.',
  consent: () => 'The consent was revoked with its tokens: the user will be asked again.',
};

/**
 * Grants and tokens (SPEC §13): live token families, remembered consents and open device codes.
 * Revoke uses the protocol core's family revocation (src/oauth/revocation.ts), as revoking a
 * refresh token does.
 */
export async function consoleGrantRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const protection = { preHandler: app.csrfProtection };
  const { repos } = context;

  const names = () => ({
    users: new Map(repos.users.list().map((u) => [u.uuid, u.email])),
    clients: new Map(repos.clients.list().map((c) => [c.id, c.name])),
  });

  app.get('/console/grants', pageSchema('Console', 'Live grants: refresh-token families and consents', CONSOLE_GUARD), async (request, reply) => {
    const now = context.clock.now();
    const { users, clients } = names();
    const userOf = (uuid: string | null) => (uuid === null ? null : (users.get(uuid) ?? uuid));
    return consolePage(reply, context, 'console-grants', {
      title: 'Grants and tokens',
      section: '/console/grants',
      notice: noticeOf(request.query, NOTICES),
      families: repos.tokens.listLiveFamilies(now).map((f) => ({
        ...f,
        clientName: clients.get(f.clientId) ?? f.clientId,
        user: userOf(f.userUuid),
        issued: when(f.issuedAt),
        expires: when(f.expiresAt),
      })),
      consents: repos.consents.list().map((c) => ({ ...c, clientName: clients.get(c.clientId) ?? c.clientId, user: userOf(c.userUuid), since: when(c.updatedAt) })),
      devices: repos.deviceCodes.listOpen(now).map((d) => ({
        ...d,
        userCode: formatUserCode(d.userCode),
        clientName: clients.get(d.clientId) ?? d.clientId,
        user: userOf(d.userUuid),
        expires: when(d.expiresAt),
      })),
    });
  });

  app.post<Family>('/console/grants/families/:family/revoke', { ...formSchema('Console', 'Revoke a refresh-token family and its access tokens', {}, { then: 'To the grants' }), ...protection }, async (request, reply) => {
    const { family } = request.params;
    const live = repos.tokens.listLiveFamilies(context.clock.now()).some((f) => f.familyId === family);
    if (live) revokeFamily(family, context.protocol);
    request.log.info({ familyId: family, revoked: live }, 'token family revoked (console)');
    return reply.redirect(doneUrl('/console/grants', live ? 'revoked' : 'unknown'), 303);
  });

  app.post('/console/grants/consents/revoke', { ...formSchema('Console', 'Forget a consent, so the next authorization asks again', { user: 'User uuid', client: 'client_id' }, { then: 'To the grants' }), ...protection }, async (request, reply) => {
    const form = FormValues.from(request.body);
    const userUuid = form.text('user', 100);
    const clientId = form.text('client', 200);
    const now = context.clock.now();
    repos.transaction(() => {
      repos.consents.remove(userUuid, clientId);
      for (const f of repos.tokens.listLiveFamilies(now)) {
        if (f.userUuid === userUuid && f.clientId === clientId) revokeFamily(f.familyId, context.protocol);
      }
    });
    request.log.info({ userUuid, clientId }, 'consent revoked (console)');
    return reply.redirect(doneUrl('/console/grants', 'consent'), 303);
  });
}
