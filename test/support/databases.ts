import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import { PreparedPGlite } from '@/db/pglite-prepared';
import { embeddedDatabaseOptions, openDatabase, type Db, type DbHandle } from '@/db/client';
import * as schema from '@/db/schema';
import { quoteIdent, resettable, type Resettable } from './baseline';
import { accounts } from '@/db/schema';

/**
 * Throwaway databases: the one place tests (vitest and the e2e run) make and drop them.
 *
 * - Without a URL: an in-memory PGlite. Creating and migrating one costs seconds, so the first
 *   file builds a migrated template and dumps it to the OS temp folder (keyed by the migrations'
 *   content, so a new migration builds a new one); every file then loads it (~0.5 s).
 * - With a URL (DATABASE_URL): a new database `keydesk_test_<random>` on that server, migrated,
 *   and dropped by `dispose()`. Only a server on this machine is accepted: tests truncate tables.
 * - `createPostgresDatabase` / `dropPostgresDatabase` / `postgresDatabases`: the bare create,
 *   drop and list on a local server, for the e2e run's database (e2e/support/postgres-admin.ts).
 */

export interface TestDatabase extends DbHandle, Resettable {
  /** The PostgreSQL database name, or 'memory' for PGlite. */
  name: string;
  /** Closes the connection and, on PostgreSQL, drops the database. */
  dispose(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Throws unless `url` points at a PostgreSQL server on this machine (TCP loopback or a Unix socket). */
export function assertLocalDatabaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must be a postgres:// URL (got ${parsed.protocol})`);
  }
  // postgres.js also reads ?host= (several hosts separated by commas); every one must be local.
  // With no host at all it connects to PGHOST, else localhost.
  const given = [parsed.hostname, ...parsed.searchParams.getAll('host').flatMap((h) => h.split(','))].filter(Boolean);
  const hosts = given.length ? given : (process.env.PGHOST || 'localhost').split(',').filter(Boolean);
  const local = (host: string) => LOCAL_HOSTS.has(host.toLowerCase()) || /^127(?:\.\d{1,3}){3}$/.test(host) || host.startsWith('/');
  if (hosts.length === 0 || !hosts.every(local)) {
    throw new Error(
      `Tests refuse a non-local database host (${hosts.join(', ') || 'none'}): they create, truncate and drop databases. Use a server on localhost.`,
    );
  }
  return parsed;
}

const migrationsFolder = () => path.join(process.cwd(), 'db', 'migrations');

function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(`${path.relative(migrationsFolder(), full)}\0`).update(fs.readFileSync(full));
    }
  };
  walk(migrationsFolder());
  return hash.digest('hex').slice(0, 16);
}

function pgliteVersion(): string {
  // The package does not export its package.json, so it is read from disk.
  try {
    const file = path.join(process.cwd(), 'node_modules', '@electric-sql', 'pglite', 'package.json');
    return String(JSON.parse(fs.readFileSync(file, 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

/** Templates of older migrations (or PGlite versions), left for a day in case another checkout still uses them. */
function pruneTemplates(dir: string, keep: string): void {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    try {
      if (file !== keep && name.startsWith('pglite-') && Date.now() - fs.statSync(file).mtimeMs > 24 * 60 * 60_000) fs.unlinkSync(file);
    } catch {
      // removed by another process meanwhile
    }
  }
}

const templateFile = () => path.join(os.tmpdir(), 'keydesk-test-templates', `pglite-${pgliteVersion()}-${migrationsFingerprint()}.tar.gz`);

async function pgliteTemplate(file: string): Promise<Blob> {
  const dir = path.dirname(file);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const client = new PGlite('memory://');
  try {
    await migratePglite(drizzlePglite(client), { migrationsFolder: migrationsFolder() });
    const dump = await client.dumpDataDir('gzip');
    const bytes = Buffer.from(await dump.arrayBuffer());
    // Written under a unique name then renamed: files building it at the same time never see half a file.
    fs.mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(partial, bytes);
    fs.renameSync(partial, file);
    pruneTemplates(dir, file);
    return new Blob([bytes]);
  } finally {
    await client.close();
  }
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  const file = templateFile();
  let client: PGlite;
  try {
    client = new PreparedPGlite({ ...embeddedDatabaseOptions, loadDataDir: await pgliteTemplate(file) });
    await client.waitReady;
  } catch {
    // A damaged cached template: drop it (the next file rebuilds it) and migrate from scratch.
    fs.rmSync(file, { force: true });
    client = new PreparedPGlite('memory://', embeddedDatabaseOptions);
    await migratePglite(drizzlePglite(client), { migrationsFolder: migrationsFolder() });
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= client.close());
  return {
    db,
    kind: 'pglite',
    name: 'memory',
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: migrationsFolder() }),
    listen: async (channel, onMessage, onListening) => {
      const unlisten = await client.listen(channel, onMessage);
      onListening?.();
      return () => unlisten();
    },
    pool: async () => null,
    close,
    ...resettable(db),
    dispose: close,
  };
}

/** An admin connection to the local server at `adminUrl`, for one statement or a few. */
async function withAdmin<T>(adminUrl: string, run: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  assertLocalDatabaseUrl(adminUrl);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

/** The URL of the test database `name` on the server DATABASE_URL names (for a second connection pool). */
export function testDatabaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates the empty database `name` on the local server at `adminUrl`; returns its URL. */
export async function createPostgresDatabase(adminUrl: string, name: string): Promise<string> {
  await withAdmin(adminUrl, (admin) => admin.unsafe(`create database ${quoteIdent(name)}`));
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  return target.toString();
}

/** Drops the database `name` (if it exists), closing its connections. */
export async function dropPostgresDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (admin) => admin.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`));
}

/** Names of the databases on the server whose name starts with `prefix`. */
export async function postgresDatabases(adminUrl: string, prefix: string): Promise<string[]> {
  const rows = await withAdmin(
    adminUrl,
    (admin) => admin<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${prefix})`,
  );
  return rows.map((r) => r.datname);
}

async function createPostgresTestDatabase(url: string): Promise<TestDatabase> {
  const name = `keydesk_test_${randomBytes(6).toString('hex')}`;
  const handle = openDatabase({ url: await createPostgresDatabase(url, name) });
  const drop = () => dropPostgresDatabase(url, name);
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close();
    await drop();
    throw error;
  }
  let disposed = false;
  return {
    ...handle,
    name,
    ...resettable(handle.db),
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await handle.close();
      await drop();
    },
  };
}

/** A fresh, migrated, empty database: PostgreSQL at `url` (local only), else in-memory PGlite. */
export function createTestDatabase(opts: { url?: string } = { url: process.env.DATABASE_URL }): Promise<TestDatabase> {
  return opts.url ? createPostgresTestDatabase(opts.url) : createPgliteDatabase();
}

/** A fresh database holding the demo people and accounts (lib/identity/demo-accounts.ts). */
export async function createSeededTestDatabase(): Promise<TestDatabase> {
  // The seed seals the demo authenticator secret with the keyring.
  process.env.KEYDESK_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');
  // Imported here, not above: the e2e run loads this module for its create/drop only.
  const { seedDemo } = await import('@/lib/identity/demo-accounts');
  const testDb = await createTestDatabase();
  try {
    await seedDemo(testDb.db);
  } catch (error) {
    await testDb.dispose();
    throw error;
  }
  return testDb;
}

/** The id of the account called `name` (the demo has Atlas Capital, Borealis Markets, …). */
export async function accountIdOf(db: Db, name: string): Promise<string> {
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, name));
  return row.id;
}
