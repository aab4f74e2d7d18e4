import path from 'node:path';
import { openDatabase, type Db, type DbHandle } from '@/db/client';
import { databaseUrl, dataDir } from './config';
import { noteQuery, pageTimingEnabled } from './page-timing';

/** The database this process is configured for: PostgreSQL at DATABASE_URL, else PGlite in ./data. */
export function openConfiguredDatabase(): DbHandle {
  const url = databaseUrl();
  const onQuery = pageTimingEnabled() ? noteQuery : undefined;
  return url ? openDatabase({ url, onQuery }) : openDatabase({ dir: path.join(dataDir(), 'pglite'), onQuery });
}

// One handle per process, shared by the custom server, every route bundle and the tests.
const globalStore = globalThis as typeof globalThis & { __keydeskDb?: DbHandle };

export function setDatabase(handle: DbHandle | undefined): void {
  globalStore.__keydeskDb = handle;
}

export function databaseHandle(): DbHandle {
  globalStore.__keydeskDb ??= openConfiguredDatabase();
  return globalStore.__keydeskDb;
}

export function getDb(): Db {
  return databaseHandle().db;
}

// postgres.js's own codes for a connection it could not open or lost, and the network's.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/**
 * Whether an error means the database cannot be reached right now (down, restarting, starting
 * up), as opposed to a query that is wrong: such a request is answered 503 and may be retried.
 * Drizzle wraps driver errors, so the causes are followed.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DatabaseDeadlineError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    // SQLSTATE class 08 (connection exception) and 57P01–57P03 (shut down, crashed, starting up).
    if (CONNECTION_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code)) return true;
  }
  return false;
}

/** Work that waited longer than its deadline for the database. */
export class DatabaseDeadlineError extends Error {
  constructor(ms: number) {
    super(`No answer from the database within ${ms} ms`);
  }
}

/**
 * Settles with `work`, or rejects with DatabaseDeadlineError after `ms`: while the database is
 * unreachable a request gets its answer (503) in bounded time instead of waiting for it to return.
 */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseDeadlineError(ms)), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
