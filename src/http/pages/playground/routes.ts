import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { PUBLIC_DIR } from '../../../paths.js';
import { ensurePlaygroundClient, PLAYGROUND_CLIENT_ID, PLAYGROUND_CLIENT_SECRET, playgroundRedirectUri } from '../../../seed/playground-client.js';
import { FlowStore, PLAYGROUND_TTL_SECONDS, type FlowState } from './flow-store.js';
import { applyResponse, buildAuthorizationUrl, findFlow, FLOWS, STEPS, stepRequest, type FlowDefinition, type PlaygroundClient, type StepId } from './flows.js';
import { runExchange } from './runner.js';
import { flowView } from './view-model.js';
import { formSchema, htmlPage, pageSchema } from '../../schemas.js';

const COOKIE = 'askara_playground';
type FlowParams = { Params: { flow: string } };
type StepParams = { Params: { flow: string; step: string } };

/** A single query or form value; a repeated or non-string one is refused by the caller. */
function single(source: unknown, name: string): string | undefined | null {
  const value = source && typeof source === 'object' ? (source as Record<string, unknown>)[name] : undefined;
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.length <= 4096 ? value : null;
}

/**
 * /playground (SPEC §13): each flow as numbered steps against this server, through its own
 * client. Every form posts with a CSRF token; each step's request goes through the whole app
 * (`inject`), and the page shows it with the response, the decoded token and a curl line.
 */
export async function playgroundRoutes(app: FastifyInstance, { context }: { context: AppContext }) {
  const store = new FlowStore(context.clock);
  context.onReset.push(() => store.clear());
  const protection = { preHandler: app.csrfProtection };

  // the issuer can change after start (PORT=0, tests): the redirect URI must name the one in effect
  app.addHook('onRequest', async () => {
    ensurePlaygroundClient(context.repos, context.runtime.issuer, context.clock.now());
  });

  const client = (): PlaygroundClient => ({
    issuer: context.runtime.issuer,
    clientId: PLAYGROUND_CLIENT_ID,
    clientSecret: PLAYGROUND_CLIENT_SECRET,
    redirectUri: playgroundRedirectUri(context.runtime.issuer),
  });

  const problem = (reply: FastifyReply, status: number, title: string, message: string) =>
    reply.code(status).header('cache-control', 'no-store').view('error', { title, code: status === 404 ? 'not_found' : 'invalid_request', message });

  /** The browser's flows, creating its cookie when it has none yet. */
  const openFlows = (request: FastifyRequest, reply: FastifyReply) => {
    const { id, flows } = store.open(request.cookies[COOKIE]);
    reply.setCookie(COOKIE, id, {
      path: '/playground',
      httpOnly: true,
      sameSite: 'lax',
      secure: context.runtime.issuer.startsWith('https:'),
      maxAge: PLAYGROUND_TTL_SECONDS,
    });
    return flows;
  };

  const flowPage = (reply: FastifyReply, flow: FlowDefinition, state: FlowState | undefined, status = 200) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .view('playground-flow', { ...flowView(flow, state, client()), csrf: reply.generateCsrf(), client: client(), issuer: context.runtime.issuer });

  // copy buttons only; served from this origin, as the CSP requires
  const script = readFileSync(resolve(PUBLIC_DIR, 'playground.js'));
  app.get('/assets/playground.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(script),
  );

  app.get('/playground', pageSchema('Playground', 'The playground: the flows to step through'), async (_request, reply) =>
    reply.header('cache-control', 'no-store').view('playground', { flows: FLOWS, client: client(), issuer: context.runtime.issuer }),
  );

  app.get('/playground/callback', pageSchema('Playground', 'The redirect URI of the playground: shows the flow with its code (or error)', { querystring: { type: 'object', properties: { code: { type: 'string' }, state: { type: 'string' }, iss: { type: 'string' }, error: { type: 'string' }, error_description: { type: 'string' } } }, responses: { 400: htmlPage('Refused: no or unknown state, another issuer, or neither code nor error') } }), async (request, reply) => {
    const q = Object.fromEntries(['code', 'state', 'iss', 'error', 'error_description'].map((n) => [n, single(request.query, n)]));
    const bad = Object.entries(q).find(([, v]) => v === null);
    if (bad) return problem(reply, 400, 'The callback was refused', `The ${bad[0]} parameter was sent more than once (or is too long); a callback carries each parameter once.`);
    const flows = store.peek(request.cookies[COOKIE]);
    if (!q.state) return problem(reply, 400, 'The callback was refused', 'The callback has no state parameter, so it cannot be matched to a flow this browser started. Start a flow from /playground.');
    const flow = FLOWS.find((f) => flows?.[f.id]?.authorizationUrl && flows[f.id]?.state === q.state);
    const state = flow && flows?.[flow.id];
    if (!flow || !state) {
      return problem(
        reply,
        400,
        'The callback was refused',
        `The state \`${q.state}\` is not one this browser’s playground made, so the callback could be forged and is refused (RFC 6749 §10.12). Start the flow again from /playground${flows ? '' : `, opened at ${context.runtime.issuer}`}.`,
      );
    }
    if (q.iss != null && q.iss !== context.runtime.issuer) {
      return problem(reply, 400, 'The callback was refused', `The iss parameter \`${q.iss}\` is not this server’s issuer ${context.runtime.issuer}, so the response may come from another server (RFC 9207).`);
    }
    if (!q.code && !q.error) return problem(reply, 400, 'The callback was refused', 'The callback has neither a code nor an error parameter.');
    state.callback = { code: q.code ?? undefined, state: q.state, iss: q.iss ?? undefined, error: q.error ?? undefined, errorDescription: q.error_description ?? undefined };
    return flowPage(reply, flow, state);
  });

  app.get<FlowParams>('/playground/:flow', pageSchema('Playground', 'One flow, step by step: each request, response, decoded JWT and curl line', { responses: { 404: htmlPage('No such flow') } }), async (request, reply) => {
    const flow = findFlow(request.params.flow);
    if (!flow) return problem(reply, 404, 'No such flow', `The playground has no flow named “${request.params.flow}”. The flows are: ${FLOWS.map((f) => f.id).join(', ')}.`);
    return flowPage(reply, flow, store.peek(request.cookies[COOKIE])?.[flow.id]);
  });

  app.post<FlowParams>('/playground/:flow/restart', { ...formSchema('Playground', 'Start a flow again', {}, { then: 'To the flow', responses: { 404: htmlPage('No such flow') } }), ...protection }, async (request, reply) => {
    const flow = findFlow(request.params.flow);
    if (!flow) return problem(reply, 404, 'No such flow', `The playground has no flow named “${request.params.flow}”.`);
    delete openFlows(request, reply)[flow.id];
    return reply.redirect(`/playground/${flow.id}`, 303);
  });

  app.post<StepParams>('/playground/:flow/:step', { ...formSchema('Playground', 'Run the next step of a flow against this server', { scope: 'Scope', username: 'Email (password flow)', password: 'Password (password flow)' }, { then: 'To the flow, at this step', responses: { 404: htmlPage('No such flow or step') } }), ...protection }, async (request, reply) => {
    const flow = findFlow(request.params.flow);
    if (!flow) return problem(reply, 404, 'No such flow', `The playground has no flow named “${request.params.flow}”.`);
    const step = request.params.step as StepId;
    if (!flow.steps.includes(step) || !STEPS[step].button) {
      return problem(reply, 404, 'No such step', `The flow “${flow.title}” has no step “${request.params.step}” to run: its steps are ${flow.steps.join(', ')}.`);
    }
    const input = { scope: single(request.body, 'scope'), username: single(request.body, 'username'), password: single(request.body, 'password') };
    const bad = Object.entries(input).find(([, v]) => v === null);
    if (bad) return problem(reply, 400, 'This step cannot run', `The ${bad[0]} field was sent more than once (or is too long).`);
    const fields = { scope: input.scope ?? undefined, username: input.username ?? undefined, password: input.password ?? undefined };
    const flows = openFlows(request, reply);
    if (step === 'authorize-url') {
      flows[flow.id] = buildAuthorizationUrl(flow, client(), fields);
      return reply.redirect(`/playground/${flow.id}#step-${step}`, 303);
    }
    // the first step of a flow without a browser leg starts it afresh
    const state = step === flow.steps[0] ? (flows[flow.id] = { steps: {} }) : (flows[flow.id] ??= { steps: {} });
    const blocked = STEPS[step].blocked?.(state);
    if (blocked) return problem(reply, 409, 'This step cannot run yet', `${STEPS[step].title}: ${blocked} Go back to /playground/${flow.id}.`);
    const httpRequest = stepRequest(step, flow, state, client(), fields);
    if (!httpRequest) return problem(reply, 404, 'No such step', `The step “${step}” sends no request.`);
    const exchange = await runExchange(app, httpRequest);
    applyResponse(step, state, exchange.response);
    state.steps[step] = { exchange, attempts: (state.steps[step]?.attempts ?? 0) + 1 };
    return reply.redirect(`/playground/${flow.id}#step-${step}`, 303);
  });
}
