import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { authenticateBearer } from '../../oauth/bearer.js';
import { insufficientScope } from '../../oauth/errors.js';
import { userResource } from '../../oauth/user-resource.js';
import { documented, errors } from '../schemas.js';

const nullable = (type: string, description?: string) => ({ type: [type, 'null'], ...(description ? { description } : {}) });

const organization = {
  type: 'object',
  description: "Askara's Organization",
  properties: {
    uuid: { type: 'string' },
    name: nullable('string'),
    vatNumber: nullable('string'),
    streetAddress: nullable('string'),
    postalCode: nullable('string'),
    city: nullable('string'),
    country: nullable('string'),
    latitude: nullable('number'),
    longitude: nullable('number'),
    timezone: nullable('string'),
    phone: nullable('string'),
    secretariatEmail: nullable('string'),
    website: nullable('string'),
    dentalNomenclatureSystem: nullable('string'),
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    users: { type: 'array', items: { type: 'string' } },
  },
};

const schema = (summary: string) =>
  documented({
    tags: ['Resource'],
    summary,
    description:
      "Askara's User resource for the token's user; needs the `profile` scope. Organization data (`organization`, `organizationRole`, " +
      '`organizations`) only with the `organization` scope, otherwise `null` and `[]`. Unknown values are `null`. POST takes no body ' +
      '(an empty JSON body is fine).',
    security: [{ bearer: [] }],
    response: {
      200: {
        type: 'object',
        description: "The token's user",
        properties: {
          uuid: { type: 'string' },
          email: { type: 'string' },
          firstName: nullable('string'),
          lastName: nullable('string'),
          gender: nullable('string'),
          isVerified: nullable('boolean'),
          phone: nullable('string'),
          rpps: nullable('string'),
          am: nullable('string'),
          language: nullable('string'),
          timezone: nullable('string'),
          languageSpokenAutoDetect: nullable('boolean'),
          languageSpoken: nullable('string'),
          languageDocument: nullable('string'),
          organization: { ...organization, type: ['object', 'null'] },
          organizationRole: nullable('string', 'e.g. ROLE_ORGANIZATION_ADMIN'),
          organizations: { type: 'array', items: organization },
        },
      },
      401: { ...errors(401)[401], description: 'No token (`WWW-Authenticate: Bearer`), or a malformed, expired or revoked one' },
      403: { ...errors(403)[403], description: 'The token lacks `profile`, or acts for no user (client_credentials)' },
      ...errors(429),
    },
  });

/** GET and POST /me (SPEC §6.5): Askara's User resource for the token's user; needs `profile`. */
export async function meRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { token, user, organization } = await authenticateBearer(request.headers.authorization, 'profile', context.protocol);
    request.authenticatedClientId = token.clientId;
    if (!user) {
      throw insufficientScope('This access token was issued to a client (client_credentials) and acts for no user; /me needs a user\'s token', {
        headers: { 'WWW-Authenticate': 'Bearer realm="askara-emulator", error="insufficient_scope"' },
      });
    }
    return reply.header('cache-control', 'no-store').send(userResource(user, organization, token.scope));
  };
  app.get('/me', schema("The token's user (Askara's User resource)"), handler);
  app.post('/me', schema("The token's user (POST, as Askara's quickstart calls it)"), handler);
}
