import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { authenticateClient } from '../../oauth/client-authentication.js';
import { Params } from '../../oauth/request-parameters.js';
import { BODY_TYPES, clientCredentials, clientFields, documented, errors, tokenResponse } from '../schemas.js';

const field = (description: string) => ({ type: 'string', description }) as const;

const schema = documented({
  tags: ['OAuth'],
  summary: 'Exchange a grant for tokens (RFC 6749 §3.2)',
  description:
    'Grants: `authorization_code` (with `code_verifier` under PKCE), `refresh_token` (single-use; optional narrower `scope`), ' +
    '`urn:ietf:params:oauth:grant-type:device_code` (poll; `authorization_pending`, `slow_down`), `client_credentials` ' +
    '(confidential clients) and `password` (clients that list it). Client authentication by HTTP Basic or in the body.',
  consumes: BODY_TYPES,
  security: clientCredentials,
  body: {
    type: 'object',
    required: ['grant_type'],
    properties: {
      grant_type: {
        type: 'string',
        enum: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'client_credentials', 'password'],
      },
      ...clientFields,
      code: field('authorization_code: the code from the redirect'),
      redirect_uri: field('authorization_code: the redirect_uri of the authorization request, exactly'),
      code_verifier: field('authorization_code: the PKCE verifier (RFC 7636)'),
      refresh_token: field('refresh_token: the refresh token, spent by this request'),
      device_code: field('device_code: the device_code from /oauth2/device-code'),
      username: field("password: the user's e-mail"),
      password: field("password: the user's password"),
      scope: field('Space-separated scopes: refresh_token (narrower), client_credentials, password'),
    },
  },
  response: { 200: tokenResponse, ...errors(400, 401, 429) },
});

/** POST /oauth2/token (RFC 6749 §3.2): parse → grant type → client authentication → grant. */
export async function tokenRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  app.post('/oauth2/token', schema, async (request, reply) => {
    const params = Params.from(request.body);
    const grantType = params.require('grant_type', `one of: ${context.grants.grantTypes.join(', ')}`);
    const handler = context.grants.handlerFor(grantType);
    const client = authenticateClient({ authorization: request.headers.authorization, params }, context.repos.clients);
    request.authenticatedClientId = client.client.id;
    const response = await context.grants.exchange(handler, { client, params }, context.protocol);
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
  });
}
