import path from 'node:path';
import { openDatabase, type Db, type DbHandle } from '@/db/client';
import { databaseUrl, dataDir } from './config';

/** The database this process is configured for: PostgreSQL at DATABASE_URL, else PGlite in ./data. */
export function openConfiguredDatabase(): DbHandle {
  const url = databaseUrl();
  return url ? openDatabase({ url }) : openDatabase({ dir: path.join(dataDir(), 'pglite') });
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
