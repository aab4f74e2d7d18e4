import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import { rowsOf, type Db } from '@/db/client';
import { setDatabase } from '@/lib/platform/database';
import { DEMO_ADMIN_TOTP_SECRET, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '@/lib/identity/demo-accounts';
import { apiKeys, auditEvents, challenges, keyChanges, keyCreations, outboxMessages, users } from '@/db/schema';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from './databases';
import { makeKey, type KeyFields } from './keys';
import { startSession } from '@/lib/web/session';
import { openSession } from '@/lib/identity/sessions';
import { Browser, useBrowser } from './next-headers';
import { NotFoundSignal, RedirectSignal } from './next-navigation';

/**
 * The server-action harness: tests call the app's server actions, pages and routes directly, as
 * a signed-in person (signInAs) in a fake browser (next-headers.ts), on a throwaway database per
 * test file that every test starts from afresh, with a frozen clock. Also the look-ups tests
 * make in that database (userByEmail, keyRow, snapshot, latestCode, …).
 */

// Secrets of this test process only: nothing is read from or generated into ./data. The data
// folder points somewhere empty so a stray default-database open could not touch ./data either.
process.env.NEXTAUTH_SECRET = randomBytes(32).toString('base64');
process.env.KEYDESK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
process.env.KEYDESK_DATA_DIR = path.join(os.tmpdir(), `keydesk-integration-${process.pid}-unused`);
process.env.NEXTAUTH_URL = 'http://localhost:3000';
delete process.env.KEYDESK_MAX_KEYS_PER_ACCOUNT;

export { DEMO_ADMIN_TOTP_SECRET, DEMO_PASSWORD, DEMO_TOTP_SECRET };

export const OWNER = 'owner@keydesk.test';
export const SMS_OWNER = 'sms-owner@keydesk.test';
export const NEW_OWNER = 'new-owner@keydesk.test';
export const MEMBER = 'member@keydesk.test';
export const STANDARD = 'standard@keydesk.test';
export const ADMIN = 'admin@keydesk.test';

let testDb: TestDatabase | undefined;

/** The database of the current test file. */
export function db(): Db {
  if (!testDb) throw new Error('useTestDatabase() was not called in this file');
  return testDb.db;
}

export function databaseKind(): 'pglite' | 'postgres' {
  return testDb?.kind ?? 'pglite';
}

/**
 * Where each test's frozen clock starts: 10 s into a TOTP step, and 40–70 s ahead of the real
 * clock. On PostgreSQL, now() (column defaults, audit times) follows the real clock, which keeps
 * running; starting ahead keeps those database timestamps no later than the app's own `new Date()`
 * for the length of a test. (PGlite's now() follows the faked Date itself.)
 */
function stableNow(): number {
  const step = 30_000;
  return Math.ceil(Date.now() / step) * step + step + 10_000;
}

/**
 * One database per test file, seeded once with the demo people and put back to exactly that
 * state before every test;
 * the clock (Date only) is frozen per test so code expiry and TOTP steps are deterministic.
 */
export function useTestDatabase(): void {
  beforeAll(async () => {
    testDb = await createSeededTestDatabase();
    setDatabase(testDb);
    await testDb.checkpoint();
  });
  beforeEach(async () => {
    await testDb!.reset();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(stableNow());
    useBrowser(new Browser());
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    setDatabase(undefined);
    await testDb?.dispose();
    testDb = undefined;
  });
}

/** Moves the (frozen) clock forward. */
export function advanceTime(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

export const IDLE = { status: 'idle' } as const;

export function form(fields: Record<string, string | string[] | undefined>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  }
  return data;
}

/** Where the action redirected to; fails if it returned or threw anything else. */
export async function redirectOf(action: Promise<unknown>): Promise<string> {
  try {
    const value = await action;
    throw new Error(`expected a redirect, the action returned ${JSON.stringify(value)}`);
  } catch (error) {
    if (error instanceof RedirectSignal) return error.redirectTo;
    throw error;
  }
}

export async function expectNotFound(action: Promise<unknown>): Promise<void> {
  await expect(action).rejects.toBeInstanceOf(NotFoundSignal);
}

export interface UserRow {
  id: string;
  email: string;
  tokenVersion: number;
  phone: string | null;
  smsEnabledAt: Date | null;
  totpEnabledAt: Date | null;
  totpSecretEnc: string | null;
  accountId: string | null;
}

export async function userByEmail(email: string): Promise<UserRow> {
  const [row] = await db()
    .select({
      id: users.id,
      email: users.email,
      tokenVersion: users.tokenVersion,
      phone: users.phone,
      smsEnabledAt: users.smsEnabledAt,
      totpEnabledAt: users.totpEnabledAt,
      totpSecretEnc: users.totpSecretEnc,
    })
    .from(users)
    .where(eq(users.email, email));
  if (!row) throw new Error(`no user ${email}`);
  const membership = rowsOf<{ account_id: string }>(
    await db().execute(sql`select account_id from memberships where user_id = ${row.id} limit 1`),
  );
  return { ...row, accountId: membership[0]?.account_id ?? null };
}

export function accountIdByName(name: string): Promise<string> {
  return accountIdOf(db(), name);
}

/**
 * A new browser holding a valid session cookie of `email` (made by the app's own startSession).
 * Like a real sign-in, the session of someone with a second factor has just passed it (an admin's
 * sensitive steps need that within 10 minutes); `secondFactorPassed: false` makes one that never did.
 */
export async function signInAs(email: string, opts: { secondFactorPassed?: boolean } = {}): Promise<Browser> {
  const user = await userByEmail(email);
  const browser = useBrowser(new Browser());
  const hasSecondFactor = user.totpEnabledAt !== null || user.smsEnabledAt !== null;
  const passed = opts.secondFactorPassed ?? hasSecondFactor;
  const ctx = {
    ip: browser.requestHeaders.get('x-keydesk-client-ip') ?? null,
    userAgent: browser.requestHeaders.get('user-agent') ?? null,
  };
  const sessionId = await db().transaction((tx) => openSession(tx, user.id, ctx));
  await startSession({ userId: user.id, tokenVersion: user.tokenVersion, sessionId, ...(passed && { secondFactorAt: Date.now() }) });
  return browser;
}

/** A new browser with no cookies. */
export function signedOut(): Browser {
  return useBrowser(new Browser());
}

/** A 6-digit authenticator code for `secret`, `offset` steps from now. */
export function totpCode(secret: string, offset = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });
}

export async function outboxOf(userId: string) {
  return db()
    .select({ channel: outboxMessages.channel, destination: outboxMessages.destination, body: outboxMessages.body })
    .from(outboxMessages)
    .where(eq(outboxMessages.userId, userId))
    .orderBy(asc(outboxMessages.createdAt));
}

/** The code in the newest message sent to the user, read as the person would read their phone or inbox. */
export async function latestCode(userId: string, channel?: 'sms' | 'email'): Promise<string> {
  const messages = (await outboxOf(userId)).filter((m) => !channel || m.channel === channel);
  const last = messages.at(-1);
  const code = last?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code was sent to user ${userId}`);
  return code;
}

/** A 6-digit code that is certainly not `code`. */
export function otherThan(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

/**
 * Every row of every application table, to show that a refused request changed nothing. A
 * session's last seen (time and address) is left out: any request of a signed-in browser
 * may write it, refused or not (lib/identity/sessions.ts).
 */
export async function snapshot(): Promise<Record<string, string[]>> {
  const tables = rowsOf<{ tablename: string }>(
    await db().execute(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`),
  );
  const out: Record<string, string[]> = {};
  for (const { tablename } of tables) {
    const columns = tablename === 'user_sessions' ? "(to_jsonb(t) - 'last_seen_at' - 'ip')" : 'row_to_json(t)';
    const rows = rowsOf<{ j: string }>(await db().execute(sql.raw(`select ${columns}::text as j from "${tablename}" t order by 1`)));
    out[tablename] = rows.map((r) => r.j);
  }
  return out;
}

export async function countRows(): Promise<{ apiKeys: number; keyCreations: number; challenges: number; outbox: number; audit: number }> {
  const n = async (table: string) =>
    Number(rowsOf<{ n: number | string }>(await db().execute(sql.raw(`select count(*)::int as n from "${table}"`)))[0].n);
  return {
    apiKeys: await n('api_keys'),
    keyCreations: await n('key_creations'),
    challenges: await n('challenges'),
    outbox: await n('outbox_messages'),
    audit: await n('audit_events'),
  };
}

export async function auditActions(): Promise<string[]> {
  const rows = await db().select({ action: auditEvents.action }).from(auditEvents).orderBy(asc(auditEvents.id));
  return rows.map((r) => r.action);
}

export async function keysOf(accountId: string) {
  return db().select().from(apiKeys).where(eq(apiKeys.accountId, accountId)).orderBy(asc(apiKeys.createdAt));
}

export async function creationById(id: string) {
  const [row] = await db().select().from(keyCreations).where(eq(keyCreations.id, id));
  return row ?? null;
}

/** The user's pending challenge for `purpose`, else the newest one (the frozen clock can make created_at tie). */
export async function latestChallenge(userId: string, purpose: (typeof challenges.$inferSelect)['purpose']) {
  const [row] = await db()
    .select()
    .from(challenges)
    .where(and(eq(challenges.userId, userId), eq(challenges.purpose, purpose)))
    .orderBy(sql`${challenges.status} = 'pending' desc`, desc(challenges.createdAt))
    .limit(1);
  return row ?? null;
}

export async function keyRow(keyId: string) {
  const [row] = await db().select().from(apiKeys).where(eq(apiKeys.id, keyId));
  return row ?? null;
}

export async function changeRow(changeId: string) {
  const [row] = await db().select().from(keyChanges).where(eq(keyChanges.id, changeId));
  return row ?? null;
}

/** The key "Trading bot", as the edit forms of test/support/key-changes.ts describe it. */
export const TRADING_BOT = { name: 'Trading bot', permissions: ['read', 'trade'], ipWhitelist: ['198.51.100.0/24'] };

export type KeyFixture = Omit<Partial<KeyFields>, 'accountId'>;

/**
 * makeKey for `email`'s account, created by that person: "Trading bot", active, unless told
 * otherwise. `key` is the row as stored (what keyRow reads back), `secret` its plaintext secret.
 */
export async function makeKeyFor(email: string, fixture: KeyFixture = {}) {
  const user = await userByEmail(email);
  const { secret, ...key } = await makeKey(db(), { ...TRADING_BOT, accountId: user.accountId!, createdBy: user.id, ...fixture });
  return { key, secret, user };
}

/** Gives a user SMS as a second factor too (the demo has nobody with both methods). */
export async function addSms(email: string, phone = '+15550100999'): Promise<void> {
  await db().update(users).set({ phone, smsEnabledAt: new Date() }).where(eq(users.email, email));
}
