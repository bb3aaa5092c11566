import { claimTimes, curlCommand, decodeJwt, formatRequest, formatResponse, jsonBody, prettyJson, type HttpExchange } from './exchange.js';
import type { FlowState } from './flow-store.js';
import { PARAMETER_HELP, STEPS, type FlowDefinition, type PlaygroundClient, type StepId } from './flows.js';

/** Long values (tokens) are cut in the parameter tables; the raw request shows them whole. */
function short(value: string, max = 64): string {
  return value.length > max ? `${value.slice(0, max)}… (${value.length} characters)` : value;
}

function parameterRows(entries: Iterable<[string, string]>) {
  return [...entries].map(([name, value]) => ({ name, value: short(value), help: PARAMETER_HELP[name] ?? '' }));
}

function jwtView(token: string | undefined) {
  const decoded = token ? decodeJwt(token) : undefined;
  if (!decoded) return undefined;
  return {
    header: JSON.stringify(decoded.header, null, 2),
    claims: JSON.stringify(decoded.claims, null, 2),
    times: claimTimes(decoded.claims),
  };
}

/** One exchange as the view shows it: raw texts, parameters, curl, the decoded access token. */
export function exchangeView(exchange: HttpExchange) {
  const { request, response } = exchange;
  const body = jsonBody(response.body);
  const accessToken = body && typeof body === 'object' && 'access_token' in body ? String((body as { access_token: unknown }).access_token) : undefined;
  const isForm = request.headers.some(([n, v]) => n.toLowerCase() === 'content-type' && v.startsWith('application/x-www-form-urlencoded'));
  return {
    ok: response.status >= 200 && response.status < 300,
    status: response.status,
    requestText: formatRequest(request),
    responseText: formatResponse({ ...response, body: '' }).trimEnd(),
    body: prettyJson(response.body) ?? response.body,
    bodyIsPretty: prettyJson(response.body) !== undefined,
    params: isForm && request.body !== undefined ? parameterRows(new URLSearchParams(request.body)) : [],
    curl: curlCommand(request),
    jwt: jwtView(accessToken),
  };
}

export type CallbackCheck = { label: string; ok: boolean; detail: string };

export function callbackChecks(state: FlowState, issuer: string): CallbackCheck[] {
  const cb = state.callback;
  if (!cb) return [];
  const checks: CallbackCheck[] = [
    { label: 'state', ok: cb.state === state.state, detail: cb.state === state.state ? 'equals the state this flow made: the callback answers our own request' : 'differs from the state this flow made' },
  ];
  if (cb.iss === undefined) checks.push({ label: 'iss', ok: true, detail: 'not sent (RFC 9207 makes it optional)' });
  else checks.push({ label: 'iss', ok: cb.iss === issuer, detail: cb.iss === issuer ? 'equals this server’s issuer (RFC 9207)' : `differs from the issuer ${issuer}` });
  return checks;
}

/** The whole flow page: every step with its state (done, next, blocked) and its last exchange. */
export function flowView(flow: FlowDefinition, state: FlowState | undefined, client: PlaygroundClient) {
  const s: FlowState = state ?? { steps: {} };
  const steps = flow.steps.map((id: StepId, i) => {
    const def = STEPS[id];
    const record = s.steps[id];
    return {
      id,
      number: i + 1,
      title: def.title,
      explain: def.explain,
      button: def.button,
      fields: def.fields ?? [],
      action: `/playground/${flow.id}/${id}`,
      blocked: def.blocked?.(s),
      done: record !== undefined || (id === 'callback' && s.callback !== undefined),
      attempts: record?.attempts ?? 0,
      exchange: record?.exchange ? exchangeView(record.exchange) : undefined,
    };
  });
  const authorization = s.authorizationUrl
    ? { url: s.authorizationUrl, params: parameterRows(new URL(s.authorizationUrl).searchParams), codeVerifier: s.codeVerifier }
    : undefined;
  const callback = s.callback
    ? {
        received: Object.entries({ code: s.callback.code, state: s.callback.state, iss: s.callback.iss, error: s.callback.error, error_description: s.callback.errorDescription })
          .filter((e): e is [string, string] => e[1] !== undefined)
          .map(([name, value]) => ({ name, value })),
        checks: callbackChecks(s, client.issuer),
      }
    : undefined;
  const device = s.userCode ? { userCode: s.userCode, link: s.verificationUriComplete ?? '' } : undefined;
  return { flow, steps, authorization, callback, device, scope: s.scope ?? 'profile organization' };
}
