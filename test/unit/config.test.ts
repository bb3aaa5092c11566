import { describe, expect, it } from 'vitest';
import { ConfigError, configWith, loadConfig, settings } from '../../src/config.js';

function problemOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig', () => {
  it('applies the defaults of SPEC §2 when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      issuer: undefined,
      databasePath: './data/askara.sqlite',
      seedPath: undefined,
      accessTokenTtl: 3600,
      refreshTokenTtl: 2_592_000,
      authCodeTtl: 60,
      deviceCodeTtl: 600,
      devicePollInterval: 5,
      accessTokenTyp: 'JWT',
      refreshReuse: 'revoke-family',
      interactiveLogin: true,
      rateLimit: { capacity: 5000, refillAmount: 500, refillPeriodSeconds: 900 },
      adminToken: undefined,
      logLevel: 'info',
    });
  });

  it('reads every variable of SPEC §2', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      ISSUER: 'https://askara.test',
      DATABASE_PATH: ':memory:',
      ASKARA_SEED: './seed.yaml',
      ACCESS_TOKEN_TTL: '60',
      REFRESH_TOKEN_TTL: '120',
      AUTH_CODE_TTL: '10',
      DEVICE_CODE_TTL: '30',
      DEVICE_POLL_INTERVAL: '0',
      ACCESS_TOKEN_TYP: 'at+jwt',
      REFRESH_REUSE: 'reject',
      INTERACTIVE_LOGIN: 'false',
      RATE_LIMIT: 'off',
      ADMIN_TOKEN: 'admin-secret',
      LOG_LEVEL: 'silent',
    });
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      issuer: 'https://askara.test',
      databasePath: ':memory:',
      seedPath: './seed.yaml',
      accessTokenTtl: 60,
      refreshTokenTtl: 120,
      authCodeTtl: 10,
      deviceCodeTtl: 30,
      devicePollInterval: 0,
      accessTokenTyp: 'at+jwt',
      refreshReuse: 'reject',
      interactiveLogin: false,
      rateLimit: null,
      adminToken: 'admin-secret',
      logLevel: 'silent',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', ADMIN_TOKEN: '' })).toMatchObject({ port: 8080, adminToken: undefined });
  });

  it.each([
    ['PORT', 'http', 'PORT must be a whole number from 0 to 65535, got "http"'],
    ['PORT', '65536', 'PORT must be a whole number from 0 to 65535, got 65536'],
    ['PORT', '-1', 'PORT must be a whole number from 0 to 65535, got "-1"'],
    ['PORT', '80.5', 'PORT must be a whole number from 0 to 65535, got "80.5"'],
    ['HOST', '   ', 'HOST must not be empty'],
    ['ISSUER', 'localhost:8080', 'ISSUER must use http or https, got "localhost:8080"'],
    ['ISSUER', 'not a url', 'ISSUER must be an absolute http(s) URL such as http://localhost:8080, got "not a url"'],
    ['ISSUER', 'ftp://askara.test', 'ISSUER must use http or https, got "ftp://askara.test"'],
    ['ISSUER', 'https://askara.test/?x=1', 'ISSUER must have no query, fragment or credentials (RFC 8414 §2), got "https://askara.test/?x=1"'],
    ['ISSUER', 'https://askara.test/#top', 'ISSUER must have no query, fragment or credentials (RFC 8414 §2), got "https://askara.test/#top"'],
    ['ISSUER', 'https://user:pw@askara.test', 'ISSUER must have no query, fragment or credentials (RFC 8414 §2), got "https://user:pw@askara.test"'],
    ['DATABASE_PATH', ' ', 'DATABASE_PATH must not be empty'],
    ['ASKARA_SEED', ' ', 'ASKARA_SEED must not be empty'],
    ['ACCESS_TOKEN_TTL', '0', 'ACCESS_TOKEN_TTL must be a whole number from 1 to 31536000, got 0'],
    ['ACCESS_TOKEN_TTL', '1h', 'ACCESS_TOKEN_TTL must be a whole number from 1 to 31536000, got "1h"'],
    ['REFRESH_TOKEN_TTL', 'forever', 'REFRESH_TOKEN_TTL must be a whole number from 1 to 315360000, got "forever"'],
    ['AUTH_CODE_TTL', '86401', 'AUTH_CODE_TTL must be a whole number from 1 to 86400, got 86401'],
    ['DEVICE_CODE_TTL', '0', 'DEVICE_CODE_TTL must be a whole number from 1 to 86400, got 0'],
    ['DEVICE_POLL_INTERVAL', '3601', 'DEVICE_POLL_INTERVAL must be a whole number from 0 to 3600, got 3601'],
    ['ACCESS_TOKEN_TYP', 'jwt', 'ACCESS_TOKEN_TYP must be one of JWT, at+jwt, got "jwt"'],
    ['REFRESH_REUSE', 'revoke', 'REFRESH_REUSE must be one of revoke-family, reject, got "revoke"'],
    ['INTERACTIVE_LOGIN', 'maybe', 'INTERACTIVE_LOGIN must be true or false, got "maybe"'],
    ['RATE_LIMIT', '5000/500', 'RATE_LIMIT must be "capacity/refill/period-seconds" with positive numbers (e.g. 5000/500/900) or "off", got "5000/500"'],
    ['RATE_LIMIT', '0/1/1', 'RATE_LIMIT must be "capacity/refill/period-seconds" with positive numbers (e.g. 5000/500/900) or "off", got "0/1/1"'],
    ['ADMIN_TOKEN', '  ', 'ADMIN_TOKEN must not be empty'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
  ])('refuses %s=%j with a message naming the variable and the expected form', (variable, value, message) => {
    expect(problemOf({ [variable]: value })).toBe(`Invalid configuration:\n  - ${message}`);
  });

  it('lists every bad variable at once', () => {
    expect(problemOf({ PORT: 'x', REFRESH_REUSE: 'y' })).toBe(
      'Invalid configuration:\n  - PORT must be a whole number from 0 to 65535, got "x"\n  - REFRESH_REUSE must be one of revoke-family, reject, got "y"',
    );
  });

  it('declares each variable of SPEC §2 once, with documentation', () => {
    expect(settings.map((s) => s.env)).toEqual([
      'PORT',
      'HOST',
      'ISSUER',
      'DATABASE_PATH',
      'ASKARA_SEED',
      'ACCESS_TOKEN_TTL',
      'REFRESH_TOKEN_TTL',
      'AUTH_CODE_TTL',
      'DEVICE_CODE_TTL',
      'DEVICE_POLL_INTERVAL',
      'ACCESS_TOKEN_TYP',
      'REFRESH_REUSE',
      'INTERACTIVE_LOGIN',
      'RATE_LIMIT',
      'ADMIN_TOKEN',
      'LOG_LEVEL',
    ]);
    for (const s of settings) expect(s.doc.length, s.env).toBeGreaterThan(5);
  });
});

describe('ISSUER normalisation', () => {
  it.each([
    ['http://localhost:8080/', 'http://localhost:8080'],
    ['http://localhost:8080', 'http://localhost:8080'],
    ['HTTPS://Askara.Test:443/', 'https://askara.test'],
    ['https://askara.test/tenant/', 'https://askara.test/tenant'],
    ['  http://127.0.0.1:9000  ', 'http://127.0.0.1:9000'],
  ])('reads %j as %j (no trailing slash, so /.well-known is not doubled)', (raw, issuer) => {
    expect(loadConfig({ ISSUER: raw }).issuer).toBe(issuer);
  });

  it.each(['https://askara.test/?', 'https://askara.test/#'])('refuses %j: an empty query or fragment is still one', (raw) => {
    expect(problemOf({ ISSUER: raw })).toBe(`Invalid configuration:\n  - ISSUER must have no query, fragment or credentials (RFC 8414 §2), got "${raw}"`);
  });
});

describe('RATE_LIMIT parsing', () => {
  it.each([
    ['5000/500/900', { capacity: 5000, refillAmount: 500, refillPeriodSeconds: 900 }],
    [' 10/1/60 ', { capacity: 10, refillAmount: 1, refillPeriodSeconds: 60 }],
    ['off', null],
    ['OFF', null],
  ])('reads %j', (raw, expected) => {
    expect(loadConfig({ RATE_LIMIT: raw }).rateLimit).toEqual(expected);
  });
});

describe('configWith', () => {
  it('overrides the defaults without reading the environment', () => {
    expect(configWith({ port: 0, databasePath: ':memory:' })).toMatchObject({ port: 0, databasePath: ':memory:', host: '127.0.0.1' });
  });
});
