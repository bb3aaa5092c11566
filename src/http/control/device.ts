import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { decideDevice, findPendingDevice } from '../../oauth/device-verification.js';
import { invalidRequest } from '../../oauth/errors.js';
import type { User } from '../../oauth/ports.js';
import { Params } from '../../oauth/request-parameters.js';
import { formatScope } from '../../oauth/scope.js';
import { adminGuard, BODY_TYPES, documented, errors, guardErrors } from '../schemas.js';

const schema = (decision: 'approve' | 'deny') =>
  documented({
    tags: ['Control'],
    summary: decision === 'approve' ? 'Approve a pending device code, as its user' : 'Deny a pending device code, as its user',
    description: 'What the person would do on /device, for CI without a browser. Name the user by `email` or by `user` (a uuid), not both.',
    consumes: BODY_TYPES,
    security: adminGuard,
    body: {
      type: 'object',
      required: ['user_code'],
      properties: {
        user_code: { type: 'string', examples: ['WDJB-MJHT'] },
        email: { type: 'string', description: "A seeded user's e-mail" },
        user: { type: 'string', description: "A seeded user's uuid (or e-mail)" },
      },
    },
    response: {
      200: {
        type: 'object',
        properties: {
          user_code: { type: 'string' },
          status: { type: 'string', enum: [decision === 'approve' ? 'approved' : 'denied'] },
          client_id: { type: 'string' },
          user: { type: 'string', description: "the user's uuid" },
          scope: { type: 'string' },
        },
      },
      ...errors(400, 404),
      ...guardErrors,
    },
  });

/** The user named by `email` or `user` (a uuid, or an e-mail for convenience): exactly one of them. */
function userOf(params: Params, context: AppContext): User {
  const email = params.get('email');
  const ref = params.get('user');
  if ((email === undefined) === (ref === undefined)) {
    throw invalidRequest(
      email === undefined
        ? 'Name the user who decides: send "email" (a seeded user\'s e-mail) or "user" (their uuid)'
        : 'Send either "email" or "user", not both',
    );
  }
  const { users } = context.repos;
  const user = email !== undefined ? users.findByEmail(email) : users.findByUuid(ref ?? '') ?? users.findByEmail(ref ?? '');
  if (!user) {
    throw invalidRequest(`No seeded user has ${email !== undefined ? `the e-mail \`${email}\`` : `the uuid or e-mail \`${ref}\``}`, { status: 404 });
  }
  return user;
}

/**
 * POST /_emulator/device/approve and /deny (SPEC §8): what the user would do on /device, for CI
 * without a browser. Body `{"user_code": "WDJB-MJHT", "email": "…"}` or `{"user_code", "user": uuid}`.
 */
export async function deviceControlRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  for (const decision of ['approve', 'deny'] as const) {
    app.post(`/device/${decision}`, schema(decision), async (request) => {
      const params = Params.from(request.body);
      const lookup = findPendingDevice(params.get('user_code'), context.protocol);
      if (!lookup.ok) throw lookup.error;
      const user = userOf(params, context);
      const { device } = lookup;
      decideDevice(device, user, decision, context.protocol);
      request.log.info({ clientId: device.client.id, userUuid: user.uuid, decision }, 'device authorization decided (control API)');
      return {
        user_code: device.userCode,
        status: decision === 'approve' ? 'approved' : 'denied',
        client_id: device.client.id,
        user: user.uuid,
        scope: formatScope(device.record.scope),
      };
    });
  }
}
