import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPostgresDatabase, dropPostgresDatabase } from '../support/databases';

/**
 * `npm run db:seed` (= `tsx server.ts --migrate --seed`) and the server itself, run for real: on
 * PostgreSQL they must be given KEYDESK_ENCRYPTION_KEY, the key the server encrypts with, and
 * without it stop before writing anything; the embedded database keeps its generated key.
 */

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TSX = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
const KEY = Buffer.alloc(32, 0x5c).toString('base64');

async function reachable(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end();
  }
}

// Needs a PostgreSQL server on this machine (CI and the development machines have one).
const hasPostgres = await reachable(ADMIN_URL);

interface Run {
  code: number | null;
  output: string;
}

/** Runs `tsx server.ts …args` with only the environment given (plus PATH, HOME, PORT, NODE_ENV). */
function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['server.ts', ...args], {
      cwd: process.cwd(),
      // NODE_ENV as `npm run db:seed` leaves it on a workstation (anything but production): before
      // #10 item 13 that was the case where a key was silently generated.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), PORT: '3411', NODE_ENV: 'development', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const SEED = ['--migrate', '--seed'];
const MISSING_KEY =
  'KEYDESK_ENCRYPTION_KEY is not set. With DATABASE_URL (PostgreSQL) the server and `npm run db:seed` must be given the same key';

describe.skipIf(!hasPostgres)('on PostgreSQL the encryption key must be given', () => {
  const name = `keydesk_test_seedkey_${randomBytes(4).toString('hex')}`;
  let url: string;
  let dataDir: string;

  beforeAll(async () => {
    url = await createPostgresDatabase(ADMIN_URL, name);
  });
  afterAll(async () => {
    await dropPostgresDatabase(ADMIN_URL, name);
  });
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydesk-seed-key-'));
    return () => fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The tables of the database: none means not even the migrations ran. */
  async function tables(): Promise<string[]> {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      return (await sql<{ name: string }[]>`select tablename as name from pg_tables where schemaname = 'public'`).map((t) => t.name);
    } finally {
      await sql.end();
    }
  }

  it('npm run db:seed without KEYDESK_ENCRYPTION_KEY stops with a message, writing nothing', { timeout: 60_000 }, async () => {
    const result = await run(SEED, { DATABASE_URL: url, KEYDESK_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.output).toContain(MISSING_KEY);
    expect(result.output).toContain('Nothing was written.');
    expect(await tables()).toEqual([]);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('says so when the data folder holds a key from an earlier run, and still does not use it', { timeout: 60_000 }, async () => {
    fs.writeFileSync(path.join(dataDir, 'encryption.key'), `${KEY}\n`);
    const result = await run(SEED, { DATABASE_URL: url, KEYDESK_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`${path.join(dataDir, 'encryption.key')} exists from an earlier run`);
    expect(await tables()).toEqual([]);
  });

  it('the server refuses to start without it too, before writing anything', { timeout: 60_000 }, async () => {
    const result = await run([], { DATABASE_URL: url, KEYDESK_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.output).toContain(MISSING_KEY);
    expect(await tables()).toEqual([]);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('given the key, the seed writes the demo accounts and no key file', { timeout: 60_000 }, async () => {
    const result = await run(SEED, { DATABASE_URL: url, KEYDESK_DATA_DIR: dataDir, KEYDESK_ENCRYPTION_KEY: KEY });
    expect(result.output).toContain('Seeded demo accounts.');
    expect(result.code).toBe(0);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      expect((await sql`select email from users`).length).toBe(6);
    } finally {
      await sql.end();
    }
    expect(fs.existsSync(path.join(dataDir, 'encryption.key'))).toBe(false);
  });
});

describe('on the embedded database nothing needs configuring', () => {
  it('with no environment at all, the key is generated into the data folder (npm ci && npm start)', async () => {
    const saved = { ...process.env };
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydesk-seed-key-'));
    try {
      delete process.env.DATABASE_URL;
      delete process.env.KEYDESK_ENCRYPTION_KEY;
      process.env.KEYDESK_DATA_DIR = dataDir;
      vi.resetModules(); // a keyring of its own, not the one this worker already loaded
      const { keyring } = await import('@/lib/platform/keyring');
      expect(keyring().keys.size).toBe(1);
      expect(fs.readFileSync(path.join(dataDir, 'encryption.key'), 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    } finally {
      process.env = saved;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
