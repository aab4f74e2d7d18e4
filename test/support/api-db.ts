import { randomBytes } from 'node:crypto';
import { seedDemo } from '@/lib/identity/demo-accounts';
import { createTestDatabase, type TestDatabase } from './databases';

process.env.KEYDESK_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');

/** A migrated, seeded database for one test file: PGlite, or PostgreSQL with DATABASE_URL. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const handle = await createTestDatabase();
  await seedDemo(handle.db);
  return handle;
}
