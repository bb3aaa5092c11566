// The README's vitest example, verbatim apart from the import: inside this repository the tests
// import the sources; test/packaging/built-artifacts.test.ts imports 'askara-emulator' by name.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';

describe('startEmulator, as the README shows it', () => {
  let askara: RunningEmulator;
  beforeAll(async () => {
    askara = await startEmulator();
  });
  afterEach(() => askara.reset());
  afterAll(() => askara.close());

  it('mints a token that /me accepts until the clock moves past its expiry', async () => {
    const { access_token } = await askara.mintTokens({ client_id: 'demo-web-client', user: 'john.doe@example.com', scope: 'profile' });
    const me = () => fetch(`${askara.url}/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect((await me()).status).toBe(200);
    askara.clock.advance(3601);
    expect((await me()).status).toBe(401);
  });

  it('injects faults through the control API at askara.url', async () => {
    await fetch(`${askara.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/oauth2/token', preset: 'unavailable' }),
    });
    const res = await fetch(`${askara.url}/oauth2/token`, { method: 'POST' });
    expect(res.status).toBe(503);
  });
});

describe('startEmulator options', () => {
  const running: RunningEmulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.close()));
  });

  it('listens on a free loopback port with an issuer equal to its url, as discovery clients require', async () => {
    const askara = await startEmulator();
    running.push(askara);
    expect(askara.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(askara.issuer).toBe(askara.url);
    const metadata = (await (await fetch(`${askara.url}/.well-known/oauth-authorization-server`)).json()) as { issuer: string };
    expect(metadata.issuer).toBe(askara.url);
  });

  it('takes a seed object and SPEC §2 settings, and runs two emulators side by side', async () => {
    const seed = {
      users: [{ uuid: 'b7d4f5e2-4e1c-4f7a-9d3e-2a1b0c9d8e7f', email: 'lib@example.com', password: 'pw' }],
      clients: [{ clientId: 'lib-client', clientSecret: 'lib-secret', name: 'Lib', redirectUris: ['http://127.0.0.1/cb'] }],
    };
    const a = await startEmulator({ seed, config: { accessTokenTtl: 60 } });
    const b = await startEmulator();
    running.push(a, b);
    expect(a.url).not.toBe(b.url);
    expect(await a.mintTokens({ client_id: 'lib-client', user: 'lib@example.com' })).toMatchObject({ expires_in: 60 });
    await expect(b.mintTokens({ client_id: 'lib-client', user: 'lib@example.com' })).rejects.toMatchObject({
      code: 'invalid_request',
      hint: 'client_id `lib-client` names no registered client',
    });
  });

  it('moves, sets and resets its clock', async () => {
    const askara = await startEmulator();
    running.push(askara);
    const before = askara.clock.now().getTime();
    expect(askara.clock.advance(86_400).getTime() - before).toBeGreaterThanOrEqual(86_400_000);
    expect(askara.clock.set('2030-01-01T00:00:00Z').getTime() - Date.parse('2030-01-01T00:00:00Z')).toBeLessThan(1000);
    expect(Math.abs(askara.clock.reset().getTime() - Date.now())).toBeLessThan(5000);
    expect(askara.clock.offsetSeconds).toBe(0);
    expect(() => askara.clock.set('not a date')).toThrow('clock.set: expected a finite number of seconds or a valid date');
  });

  it('reset() forgets minted tokens', async () => {
    const askara = await startEmulator();
    running.push(askara);
    const { access_token } = await askara.mintTokens({ client_id: 'demo-web-client', user: 'jane.smith@example.com' });
    askara.reset();
    const me = await fetch(`${askara.url}/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(me.status).toBe(401);
  });
});
