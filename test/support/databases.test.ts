import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditEvents } from '@/db/schema';
import { assertLocalDatabaseUrl, createTestDatabase, type TestDatabase } from './databases';

describe('assertLocalDatabaseUrl', () => {
  it.each([
    'postgres://postgres@127.0.0.1:5432/postgres',
    'postgres://postgres@localhost/postgres',
    'postgresql://u:p@[::1]:5432/db',
    'postgres://postgres@127.0.0.2/x',
    'postgres:///postgres?host=/var/run/postgresql',
  ])('accepts %s', (url) => {
    expect(() => assertLocalDatabaseUrl(url)).not.toThrow();
  });

  it.each([
    'postgres://postgres@db.example.com:5432/postgres',
    'postgres://postgres@10.0.0.5/postgres',
    'postgres://postgres@127.0.0.1.example.com/postgres',
    'postgres://postgres@localhost/postgres?host=prod.example.com',
    'mysql://root@127.0.0.1/x',
    'not a url',
  ])('refuses %s', (url) => {
    expect(() => assertLocalDatabaseUrl(url)).toThrow();
  });
});

describe('createTestDatabase', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.dispose();
  });

  const names = async () => (await testDb.db.select({ name: accounts.name }).from(accounts).orderBy(accounts.name)).map((a) => a.name);

  it('is migrated and empty', async () => {
    expect(await names()).toEqual([]);
  });

  it('reset() returns to the last checkpoint', async () => {
    await testDb.db.insert(accounts).values({ name: 'Kept', type: 'prime' });
    await testDb.checkpoint();
    await testDb.db.insert(accounts).values({ name: 'Dropped', type: 'standard' });
    await testDb.db.execute(sql`update accounts set name = 'Renamed' where name = 'Kept'`);
    await testDb.reset();
    expect(await names()).toEqual(['Kept']);
  });

  it('identity columns continue after the restored rows', async () => {
    await testDb.db.insert(auditEvents).values([{ action: 'one' }, { action: 'two' }]);
    await testDb.checkpoint();
    await testDb.db.insert(auditEvents).values({ action: 'later' });
    await testDb.reset();
    const [added] = await testDb.db.insert(auditEvents).values({ action: 'after reset' }).returning({ id: auditEvents.id });
    expect(added.id).toBe(3);
  });
});
