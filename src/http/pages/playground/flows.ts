import { createHash } from 'node:crypto';
import { randomId } from '../../../shared/random.js';
import { jsonBody, type HttpRequestRecord, type HttpResponseRecord } from './exchange.js';
import type { FlowState } from './flow-store.js';

export type FlowId = 'authorization-code-pkce' | 'authorization-code' | 'refresh' | 'device' | 'client-credentials' | 'password';
export type StepId =
  | 'authorize-url'
  | 'callback'
  | 'exchange'
  | 'refresh'
  | 'replay'
  | 'me'
  | 'device-start'
  | 'device-poll'
  | 'client-credentials'
  | 'introspect'
  | 'password';

export interface FlowDefinition {
  id: FlowId;
  title: string;
  summary: string;
  /** Authorization code flows: send a PKCE challenge (RFC 7636)? */
  pkce?: boolean;
  steps: StepId[];
}

export const FLOWS: FlowDefinition[] = [
  {
    id: 'authorization-code-pkce',
    title: 'Authorization code with PKCE',
    summary: 'A web or desktop app sends the person to log in, gets a code back and exchanges it, proving with PKCE that it started the request.',
    pkce: true,
    steps: ['authorize-url', 'callback', 'exchange', 'refresh', 'me'],
  },
  {
    id: 'authorization-code',
    title: 'Authorization code without PKCE',
    summary: 'The classic confidential-client flow: the client secret alone authenticates the code exchange.',
    steps: ['authorize-url', 'callback', 'exchange', 'refresh', 'me'],
  },
  {
    id: 'refresh',
    title: 'Refresh (rotation and reuse)',
    summary: 'Get a pair, refresh it, then present the spent refresh token again to see single-use rotation and reuse detection.',
    pkce: true,
    steps: ['authorize-url', 'callback', 'exchange', 'refresh', 'replay', 'me'],
  },
  {
    id: 'device',
    title: 'Device authorization',
    summary: 'An app without a browser shows a short code; the person enters it on /device while the app polls the token endpoint.',
    steps: ['device-start', 'device-poll', 'me'],
  },
  {
    id: 'client-credentials',
    title: 'Client credentials',
    summary: 'A server-to-server token for the client itself: no person, no refresh token.',
    steps: ['client-credentials', 'introspect', 'me'],
  },
  {
    id: 'password',
    title: 'Password (resource owner credentials)',
    summary: 'The client sends the person’s e-mail and password itself. Legacy: only for clients that list the grant.',
    steps: ['password', 'refresh', 'me'],
  },
];

export function findFlow(id: string): FlowDefinition | undefined {
  return FLOWS.find((f) => f.id === id);
}

/** What a form may send to a step (each field optional; the step says which it reads). */
export interface StepInput {
  scope?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

export interface StepDefinition {
  title: string;
  explain: string;
  /** The button that runs the step; none for the callback, which the browser reaches by redirect. */
  button?: string;
  fields?: Array<'scope' | 'username' | 'password'>;
  /** Why the step cannot run yet, or undefined when it can. */
  blocked?: (state: FlowState) => string | undefined;
}

const needsCode = (s: FlowState) => (s.callback?.code ? undefined : 'Follow the authorization URL and come back with a code first.');
const needsRefresh = (s: FlowState) => (s.refreshToken ? undefined : 'Get a token pair first.');
const needsAccess = (s: FlowState) => (s.accessToken ? undefined : 'Get an access token first.');

export const STEPS: Record<StepId, StepDefinition> = {
  'authorize-url': {
    title: 'Build the authorization URL',
    explain: 'The app makes a random state (and, with PKCE, a secret code_verifier it keeps), then sends the browser to /authorize.',
    button: 'Build the URL',
    fields: ['scope'],
  },
  callback: {
    title: 'Come back to the callback',
    explain: 'After login and consent the server redirects the browser to the redirect URI with code, state and iss. The app checks that state is the one it made.',
    blocked: (s) => (s.authorizationUrl ? undefined : 'Build the authorization URL first.'),
  },
  exchange: {
    title: 'Exchange the code for tokens',
    explain: 'The app posts the code to the token endpoint, authenticated with its client secret (and, with PKCE, the code_verifier). A code works once.',
    button: 'Exchange the code',
    blocked: needsCode,
  },
  refresh: {
    title: 'Refresh',
    explain: 'The app trades the refresh token for a new pair. The old refresh token is spent at once: keep the new one.',
    button: 'Refresh the tokens',
    blocked: needsRefresh,
  },
  replay: {
    title: 'Replay the spent refresh token',
    explain: 'Presenting a spent refresh token is refused with invalid_grant; by default (REFRESH_REUSE=revoke-family) every token of the family is revoked too.',
    button: 'Send the spent token again',
    blocked: (s) => (s.spentRefreshToken ? undefined : 'Refresh once first, so there is a spent token to replay.'),
  },
  me: {
    title: 'Call /me',
    explain: 'The app calls the API with the access token as a Bearer token. /me needs the profile scope; the organization scope adds the organization.',
    button: 'Call /me',
    blocked: needsAccess,
  },
  'device-start': {
    title: 'Ask for a device code',
    explain: 'The app asks for a device code and a short user code, and shows the person where to enter it.',
    button: 'Ask for a code',
    fields: ['scope'],
  },
  'device-poll': {
    title: 'Poll the token endpoint',
    explain: 'While the person enters the code on the verification page, the app polls. It gets authorization_pending until they decide, and slow_down if it polls faster than the interval.',
    button: 'Poll now',
    blocked: (s) => (s.deviceCode ? undefined : 'Ask for a device code first.'),
  },
  'client-credentials': {
    title: 'Ask for a client token',
    explain: 'The client authenticates with its own secret; the token acts for the client (sub is the client id) and comes without a refresh token.',
    button: 'Get a token',
    fields: ['scope'],
  },
  introspect: {
    title: 'Introspect the token',
    explain: 'A resource server asks whether the token is active and what it carries (RFC 7662).',
    button: 'Introspect',
    blocked: needsAccess,
  },
  password: {
    title: 'Send the user’s credentials',
    explain: 'The client posts the person’s e-mail and password to the token endpoint (wrong ones count toward the login lockout).',
    button: 'Get tokens',
    fields: ['username', 'password', 'scope'],
  },
};

/** What each parameter means, shown next to it. */
export const PARAMETER_HELP: Record<string, string> = {
  response_type: 'code: ask for an authorization code (RFC 6749 §4.1.1).',
  client_id: 'Who asks: the playground’s registered client.',
  client_secret: 'The client’s secret (sent here in the Authorization header instead).',
  redirect_uri: 'Where the browser comes back; must equal a registered URI exactly.',
  scope: 'What the token may do: profile reads /me, organization adds the organization.',
  state: 'A random value the app keeps and compares on the callback, so a forged callback is refused (RFC 6749 §10.12).',
  code_challenge: 'BASE64URL(SHA-256(code_verifier)); the verifier itself stays with the app until the token request (RFC 7636).',
  code_challenge_method: 'S256, the only method this server accepts.',
  grant_type: 'Which grant this token request uses.',
  code: 'The authorization code from the callback (single-use, short-lived).',
  code_verifier: 'The secret whose hash was the code_challenge: proves this app started the request.',
  refresh_token: 'The refresh token to trade (single-use).',
  device_code: 'The device code from the device authorization response (never shown to the person).',
  username: 'The person’s e-mail address.',
  password: 'The person’s password.',
  token: 'The token to introspect.',
};

export interface PlaygroundClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

const DEFAULT_SCOPE = 'profile organization';

/** RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding. */
function basic(client: PlaygroundClient): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(client.clientId)}:${enc(client.clientSecret)}`).toString('base64')}`;
}

function post(client: PlaygroundClient, path: string, form: Record<string, string>): HttpRequestRecord {
  return {
    method: 'POST',
    url: `${client.issuer}${path}`,
    headers: [
      ['Host', new URL(client.issuer).host],
      ['User-Agent', 'askara-playground'],
      ['Accept', 'application/json'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['Authorization', basic(client)],
    ],
    body: new URLSearchParams(form).toString(),
  };
}

/**
 * Step 1 of the code flows: a fresh state (and PKCE pair), and the URL the browser follows.
 * Starting again forgets what an earlier attempt of this flow held.
 */
export function buildAuthorizationUrl(flow: FlowDefinition, client: PlaygroundClient, input: StepInput): FlowState {
  const state: FlowState = { steps: {}, state: randomId(16), scope: input.scope?.trim() || DEFAULT_SCOPE };
  const url = new URL('/authorize', client.issuer);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', client.redirectUri);
  url.searchParams.set('scope', state.scope ?? DEFAULT_SCOPE);
  url.searchParams.set('state', state.state ?? '');
  if (flow.pkce) {
    state.codeVerifier = randomId(32);
    url.searchParams.set('code_challenge', createHash('sha256').update(state.codeVerifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  state.authorizationUrl = url.href;
  state.steps['authorize-url'] = { attempts: 1 };
  return state;
}

/** The HTTP request a step sends, built from what the flow holds (blocked steps are checked first). */
export function stepRequest(step: StepId, flow: FlowDefinition, state: FlowState, client: PlaygroundClient, input: StepInput): HttpRequestRecord | undefined {
  const scope = input.scope?.trim() || DEFAULT_SCOPE;
  switch (step) {
    case 'exchange': {
      const form: Record<string, string> = { grant_type: 'authorization_code', code: state.callback?.code ?? '', redirect_uri: client.redirectUri };
      if (flow.pkce && state.codeVerifier) form.code_verifier = state.codeVerifier;
      return post(client, '/oauth2/token', form);
    }
    case 'refresh':
      return post(client, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: state.refreshToken ?? '' });
    case 'replay':
      return post(client, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: state.spentRefreshToken ?? '' });
    case 'me':
      return {
        method: 'GET',
        url: `${client.issuer}/me`,
        headers: [
          ['Host', new URL(client.issuer).host],
          ['User-Agent', 'askara-playground'],
          ['Accept', 'application/json'],
          ['Authorization', `Bearer ${state.accessToken ?? ''}`],
        ],
      };
    case 'device-start':
      return post(client, '/oauth2/device-code', { scope });
    case 'device-poll':
      return post(client, '/oauth2/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: state.deviceCode ?? '' });
    case 'client-credentials':
      return post(client, '/oauth2/token', { grant_type: 'client_credentials', scope });
    case 'introspect':
      return post(client, '/oauth2/introspect', { token: state.accessToken ?? '' });
    case 'password':
      return post(client, '/oauth2/token', { grant_type: 'password', username: input.username ?? '', password: input.password ?? '', scope });
    case 'authorize-url':
    case 'callback':
      return undefined;
  }
}

/** Keeps what a client would keep from a step's response (tokens, device code). */
export function applyResponse(step: StepId, state: FlowState, response: HttpResponseRecord): void {
  const body = jsonBody(response.body);
  if (response.status !== 200 || body === null || typeof body !== 'object') return;
  const fields = body as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : undefined);
  if (step === 'device-start') {
    state.deviceCode = text('device_code');
    state.userCode = text('user_code');
    state.verificationUriComplete = text('verification_uri_complete');
    state.accessToken = undefined;
    state.refreshToken = undefined;
    return;
  }
  const access = text('access_token');
  if (!access) return;
  if (step === 'refresh' && state.refreshToken) state.spentRefreshToken = state.refreshToken;
  state.accessToken = access;
  state.refreshToken = text('refresh_token');
}
