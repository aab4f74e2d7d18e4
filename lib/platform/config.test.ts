import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  apiRateLimitPerMinute,
  appUrl,
  defaultAppUrlTo,
  encryptionKey,
  ensureSecret,
  environment,
  maxCodesPerHour,
  maxKeysPerAccount,
  serverPort,
  trustedProxies,
  wsIdleSeconds,
} from './config';

afterEach(() => vi.unstubAllEnvs());

describe('ensureSecret', () => {
  it('prefers the environment', () => {
    vi.stubEnv('KEYDESK_TEST_SECRET', 'from-env');
    expect(ensureSecret('KEYDESK_TEST_SECRET', 'test.secret')).toBe('from-env');
  });

  it('generates a local secret once into the data folder (mode 600) and keeps it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keydesk-config-'));
    vi.stubEnv('KEYDESK_DATA_DIR', dir);
    vi.stubEnv('DATABASE_URL', '');
    vi.stubEnv('KEYDESK_TEST_SECRET', '');
    const first = ensureSecret('KEYDESK_TEST_SECRET', 'test.secret');
    vi.stubEnv('KEYDESK_TEST_SECRET', '');
    expect(ensureSecret('KEYDESK_TEST_SECRET', 'test.secret')).toBe(first);
    expect(readFileSync(path.join(dir, 'test.secret'), 'utf8').trim()).toBe(first);
    expect(statSync(path.join(dir, 'test.secret')).mode & 0o777).toBe(0o600);
  });

  it('stops a production server on a real database that was not given the secret', () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/keydesk');
    vi.stubEnv('KEYDESK_TEST_SECRET', '');
    expect(() => ensureSecret('KEYDESK_TEST_SECRET', 'test.secret')).toThrow('KEYDESK_TEST_SECRET is not set');
  });
});

describe('the whole-number settings', () => {
  it.each([
    ['KEYDESK_MAX_KEYS_PER_ACCOUNT', maxKeysPerAccount, 20],
    ['KEYDESK_MAX_CODES_PER_HOUR', maxCodesPerHour, 5],
    ['KEYDESK_API_RATE_LIMIT', apiRateLimitPerMinute, 300],
    ['KEYDESK_WS_IDLE_SECONDS', wsIdleSeconds, 60],
  ] as const)('%s: a whole number above zero, else the default', (name, setting, fallback) => {
    vi.stubEnv(name, '');
    expect(setting()).toBe(fallback);
    vi.stubEnv(name, '7');
    expect(setting()).toBe(7);
    vi.stubEnv(name, ' 12 requests');
    expect(setting()).toBe(12);
    for (const bad of ['0', '-5', 'many']) {
      vi.stubEnv(name, bad);
      expect(setting()).toBe(fallback);
    }
  });
});

describe('the other settings', () => {
  it('KEYDESK_TRUSTED_PROXIES: a list separated by spaces, commas or semicolons; none by default', () => {
    vi.stubEnv('KEYDESK_TRUSTED_PROXIES', '');
    expect(trustedProxies()).toEqual([]);
    vi.stubEnv('KEYDESK_TRUSTED_PROXIES', ' 10.0.0.1, 10.1.0.0/16;::1  192.168.0.0/24 ');
    expect(trustedProxies()).toEqual(['10.0.0.1', '10.1.0.0/16', '::1', '192.168.0.0/24']);
  });

  it('KEYDESK_ENCRYPTION_KEY as given, unset by default', () => {
    vi.stubEnv('KEYDESK_ENCRYPTION_KEY', 'a-key');
    expect(encryptionKey()).toBe('a-key');
    vi.stubEnv('KEYDESK_ENCRYPTION_KEY', undefined);
    expect(encryptionKey()).toBeUndefined();
  });

  it('PORT: 3000 by default; NEXTAUTH_URL defaults to the local address on it', () => {
    vi.stubEnv('PORT', undefined);
    expect(serverPort()).toBe(3000);
    vi.stubEnv('PORT', '8081');
    expect(serverPort()).toBe(8081);
    vi.stubEnv('NEXTAUTH_URL', undefined);
    expect(appUrl()).toBe('http://localhost:8081');
    defaultAppUrlTo(8081);
    expect(process.env.NEXTAUTH_URL).toBe('http://localhost:8081');
    vi.stubEnv('NEXTAUTH_URL', 'https://keys.example.com');
    defaultAppUrlTo(8081);
    expect(appUrl()).toBe('https://keys.example.com');
  });

  it('environment() is the live environment, for parsers that take a record', () => {
    vi.stubEnv('KEYDESK_SMTP_URL', 'smtp://127.0.0.1:2525');
    expect(environment().KEYDESK_SMTP_URL).toBe('smtp://127.0.0.1:2525');
  });
});
