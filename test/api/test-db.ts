import { randomBytes } from 'node:crypto';
import { openDatabase, type DbHandle } from '@/db/client';
import { seedDemo } from '@/db/seed';

process.env.KEYDESK_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');

/** A migrated, seeded in-memory database for one test file. */
export async function openTestDatabase(): Promise<DbHandle> {
  const handle = openDatabase({ dir: 'memory://' });
  await handle.migrate();
  await seedDemo(handle.db);
  return handle;
}
