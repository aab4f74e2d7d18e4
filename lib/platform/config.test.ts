import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ensureSecret } from './config';

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
