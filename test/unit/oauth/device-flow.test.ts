import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configWith } from '../../../src/config.js';
import { createContext, type AppContext } from '../../../src/context.js';
import { authorizeDevice, formatUserCode, normalizeUserCode } from '../../../src/oauth/device-authorization.js';
import { decideDevice, findPendingDevice, type PendingDevice } from '../../../src/oauth/device-verification.js';
import { OAuthError } from '../../../src/oauth/errors.js';
import { deviceCodeGrant } from '../../../src/oauth/grants/device-code.js';
import type { User } from '../../../src/oauth/ports.js';
import { Params } from '../../../src/oauth/request-parameters.js';
import { applySeed } from '../../../src/seed/apply-seed.js';
import { parseSeed } from '../../../src/seed/load-seed.js';
import { EmulatorClock } from '../../../src/shared/clock.js';
import { sha256 } from '../../../src/shared/random.js';
import { openDatabase } from '../../../src/storage/database.js';
import { TestClock } from '../../helpers/clock.js';
import { BRUNO, DESKTOP, TEST_SEED } from '../../helpers/fixtures.js';

let context: AppContext;
let clock: TestClock;
let bruno: User;


const deps = () => context.protocol;
const issue = (scope?: string) =>
  authorizeDevice({ authorization: undefined, params: Params.from({ client_id: DESKTOP.clientId, ...(scope ? { scope } : {}) }) }, deps());
const pending = (userCode: string): PendingDevice => {
  const found = findPendingDevice(userCode, deps());
  if (!found.ok) throw found.error;
  return found.device;
};
const poll = (deviceCode: string) =>
  deviceCodeGrant.handle({ client: { client: context.repos.clients.find(DESKTOP.clientId)!, method: 'none' }, params: Params.from({ device_code: deviceCode }) }, deps());
const pollError = async (deviceCode: string) => {
  const e = await poll(deviceCode).then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(OAuthError);
  return (e as OAuthError).code;
};
const stored = (deviceCode: string) => context.repos.deviceCodes.find(sha256(deviceCode));

describe('user codes', () => {
  it('normalizes what people type: any case, with or without the dash or spaces', () => {
    for (const typed of ['WDJB-MJHT', 'wdjb-mjht', 'WdJbMjHt', ' wdjb mjht ', 'WDJB–MJHT', 'WDJB—MJHT', 'WDJB_MJHT.']) expect(normalizeUserCode(typed)).toBe('WDJBMJHT');
    expect(formatUserCode('WDJBMJHT')).toBe('WDJB-MJHT');
  });

  it('refuses what cannot be a code: vowels, digits, too short or too long', () => {
    for (const typed of ['', 'WDJB-MJH', 'WDJB-MJHTX', 'WAJB-MJHT', 'WDJB-MJH1', '<script>']) expect(normalizeUserCode(typed)).toBeUndefined();
  });
});

describe('device authorization state machine', () => {
  beforeEach(async () => {
    clock = new TestClock();
    const db = openDatabase(':memory:');
    context = await createContext({ config: configWith({ databasePath: ':memory:', issuer: 'http://127.0.0.1:8080' }), clock: new EmulatorClock(clock), db });
    await applySeed(parseSeed({ ...TEST_SEED, users: [{ ...BRUNO }] }), context.repos, clock.now());
    bruno = context.repos.users.findByUuid(BRUNO.uuid) as User;
  });
  afterEach(() => context.db.$client.close());

  it('stores only the device code hash and the normalized user code, pending, with the client\'s scopes by default', () => {
    const d = issue();
    const row = stored(d.device_code);
    expect(row).toMatchObject({ userCode: d.user_code.replace('-', ''), status: 'pending', scope: ['profile', 'organization'], intervalSeconds: 5, lastPolledAt: null });
    expect(row?.expiresAt).toBe(clock.now() + 600_000);
    expect(JSON.stringify(context.db.$client.prepare('select * from device_codes').all())).not.toContain(d.device_code);
  });

  it('moves pending → approved → used, and the pair is issued for the approving user', async () => {
    const d = issue('profile');
    decideDevice(pending(d.user_code), bruno, 'approve', deps());
    expect(stored(d.device_code)).toMatchObject({ status: 'approved', userUuid: BRUNO.uuid, decidedAt: clock.now() });
    const tokens = await poll(d.device_code);
    expect(tokens.refresh_token).toBeDefined();
    expect(stored(d.device_code)?.status).toBe('used');
    expect(await pollError(d.device_code)).toBe('invalid_grant');
  });

  it('decides once: a second decision, or one made after expiry, is refused', () => {
    const d = issue();
    const device = pending(d.user_code);
    decideDevice(device, bruno, 'deny', deps());
    expect(() => decideDevice(device, bruno, 'approve', deps())).toThrow(/decided meanwhile or has expired/);
    expect(stored(d.device_code)?.status).toBe('denied');
    const late = issue();
    const lateDevice = pending(late.user_code);
    clock.advanceBy(600);
    expect(() => decideDevice(lateDevice, bruno, 'approve', deps())).toThrow(OAuthError);
    expect(stored(late.device_code)?.status).toBe('pending');
  });

  it('records every poll and grows the stored interval by 5 s on each slow_down', async () => {
    const d = issue();
    expect(await pollError(d.device_code)).toBe('authorization_pending');
    expect(stored(d.device_code)).toMatchObject({ lastPolledAt: clock.now(), intervalSeconds: 5 });
    clock.advanceBy(1);
    expect(await pollError(d.device_code)).toBe('slow_down');
    clock.advanceBy(1);
    expect(await pollError(d.device_code)).toBe('slow_down');
    expect(stored(d.device_code)).toMatchObject({ lastPolledAt: clock.now(), intervalSeconds: 15 });
    clock.advanceBy(15);
    expect(await pollError(d.device_code)).toBe('authorization_pending');
  });

  it('answers a decided code with its decision even when polled fast', async () => {
    const d = issue();
    expect(await pollError(d.device_code)).toBe('authorization_pending');
    decideDevice(pending(d.user_code), bruno, 'deny', deps());
    expect(await pollError(d.device_code)).toBe('access_denied');
    expect(await pollError(d.device_code)).toBe('access_denied');
  });

  it('checks expiry before the decision: a denied code past its lifetime is expired_token', async () => {
    const d = issue();
    decideDevice(pending(d.user_code), bruno, 'deny', deps());
    clock.advanceBy(600);
    expect(await pollError(d.device_code)).toBe('expired_token');
  });

  it('issues exactly one pair when two polls race, and stores one access token', async () => {
    const d = issue();
    decideDevice(pending(d.user_code), bruno, 'approve', deps());
    const results = await Promise.allSettled([poll(d.device_code), poll(d.device_code)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as OAuthError).code).toBe('invalid_grant');
    expect(context.db.$client.prepare('select count(*) as n from access_tokens').get()).toEqual({ n: 1 });
  });
});
