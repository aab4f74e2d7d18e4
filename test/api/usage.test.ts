import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyAddresses, apiKeyRefusals, apiKeys, apiKeyUsageHours, apiKeyUsageMinutes } from '@/db/schema';
import { findKeyUsage } from '@/db/queries/key-usage';
import { rowsOf } from '@/db/client';
import { ApiGateway, type RestRequest } from '@/lib/api/gateway';
import { RateLimiter } from '@/lib/api/rate-limit';
import { refusalText } from '@/lib/api/refusals';
import { pruneUsage, rollUpUsage, startUsageRollup } from '@/lib/api/usage-rollup';
import { UsageRecorder } from '@/lib/api/usage';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { signed } from '../support/api';
import { makeKey, type KeyFields, type TestKey } from '../support/keys';

let handle: TestDatabase;
let gateway: ApiGateway;
let atlas: string;
let borealis: string;

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  gateway = new ApiGateway(() => handle.db);
  atlas = await accountIdOf(handle.db, 'Atlas Capital');
  borealis = await accountIdOf(handle.db, 'Borealis Markets');
});
afterAll(async () => handle?.dispose());

const key = (fields: Partial<KeyFields> = {}) => makeKey(handle.db, { accountId: atlas, ...fields });

/** What the owner's page reads, once this process has flushed its counts. */
async function usageOf(k: TestKey, accountId = atlas) {
  await gateway.usage.flush();
  return findKeyUsage(handle.db, accountId, k.id);
}

const explained = async (k: TestKey) => (await usageOf(k)).refusals.map(refusalText);

describe('accepted calls', () => {
  it('are counted per action, per hour, and by address with first and last seen', async () => {
    const k = await key();
    const first = new Date(Date.now() - 5000);
    await gateway.rest(signed(k, 'get_my_wallet_balance', {}, { ip: '198.51.100.7' }), first);
    await gateway.rest(signed(k, 'get_my_wallet_balance', {}, { ip: '198.51.100.7' }));
    await gateway.rest(signed(k, 'get_my_account_status_v3', {}, { ip: '2001:db8::1' }));
    const usage = await usageOf(k);
    expect(usage.actions).toEqual([
      { action: 'get_my_wallet_balance', accepted: 2, refused: 0 },
      { action: 'get_my_account_status_v3', accepted: 1, refused: 0 },
    ]);
    expect(usage.hours.reduce((n, h) => n + h.accepted, 0)).toBe(3);
    expect(usage.refusals).toEqual([]);
    const byAddress = Object.fromEntries(usage.addresses.map((a) => [a.address, a]));
    expect(byAddress['198.51.100.7']).toMatchObject({ accepted: 2, refused: 0 });
    expect(Math.abs(byAddress['198.51.100.7'].firstSeenAt.getTime() - first.getTime())).toBeLessThan(5);
    expect(byAddress['198.51.100.7'].lastSeenAt.getTime()).toBeGreaterThan(first.getTime());
    expect(byAddress['2001:db8::1']).toMatchObject({ accepted: 1, refused: 0 });
  });

  it('a call refused after the key was accepted (a malformed body) still counts the key as accepted', async () => {
    const k = await key();
    expect((await gateway.rest(signed(k, 'get_my_wallet_balance', {}, { raw: '{' }))).status).toBe(400);
    expect((await usageOf(k)).actions).toEqual([{ action: 'get_my_wallet_balance', accepted: 1, refused: 0 }]);
  });

  it("another account's key reads as unused", async () => {
    const k = await key();
    await gateway.rest(signed(k, 'get_my_wallet_balance'));
    await gateway.rest({ ...signed(k, 'get_my_wallet_balance'), signature: 'bad' });
    const usage = await usageOf(k, borealis);
    expect(usage).toEqual({ hours: [], actions: [], refusedBy: [], addresses: [], refusals: [] });
  });
});

describe('REST refusals: counted by reason and explained, one per reason', () => {
  const flip = (r: RestRequest): RestRequest => ({ ...r, signature: (r.signature ?? '').replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) });

  it('signature', async () => {
    const k = await key();
    expect((await gateway.rest(flip(signed(k, 'get_my_wallet_balance', {}, { ip: '203.0.113.9' })))).status).toBe(401);
    const usage = await usageOf(k);
    expect(await explained(k)).toEqual([
      'signature does not match: check that you sign action + timestamp + the exact body, with the secret as its UTF-8 text',
    ]);
    expect(usage.refusals[0]).toMatchObject({ address: '203.0.113.9', action: 'get_my_wallet_balance', transport: 'rest' });
    expect(usage.refusedBy).toEqual([{ reason: 'signature', calls: 1 }]);
    expect(usage.actions).toEqual([{ action: 'get_my_wallet_balance', accepted: 0, refused: 1 }]);
    expect(usage.addresses).toMatchObject([{ address: '203.0.113.9', accepted: 0, refused: 1 }]);
  });

  it('credentials missing', async () => {
    const k = await key();
    expect((await gateway.rest({ ...signed(k, 'get_my_wallet_balance'), timestamp: null })).status).toBe(401);
    expect((await explained(k))[0]).toMatch(/^the X-AGGR-SIGNATURE or X-AGGR-TIMESTAMP header is missing: /);
  });

  it('timestamp, with the offset in seconds', async () => {
    const k = await key();
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 + 400);
    const late = Math.floor(now.getTime() / 1000) - 41;
    expect((await gateway.rest(signed(k, 'get_my_wallet_balance', {}, { timestamp: late }), now)).status).toBe(401);
    expect((await gateway.rest(signed(k, 'get_my_wallet_balance', {}, { timestamp: late + 100 }), now)).status).toBe(401);
    const [ahead, behind] = await explained(k);
    expect(behind).toMatch(/^timestamp 41 s behind the server \(window ±30 s\): /);
    expect(ahead).toMatch(/^timestamp 59 s ahead of the server \(window ±30 s\): /);
  });

  it.each([
    ['not_activated', { status: 'inactive' as const }, /^the key has not been activated yet: /],
    ['expired', { expiresAt: new Date(Date.now() - 1000) }, /^the key has expired: /],
    ['suspended', { suspendedAt: new Date() }, /^the key is suspended by an administrator: /],
    ['revoked', { revokedAt: new Date() }, /^the key was revoked by an administrator, for good: /],
  ])('%s', async (reason, fields, text) => {
    const k = await key(fields);
    expect((await gateway.rest(signed(k, 'get_my_wallet_balance'))).status).toBe(401);
    const usage = await usageOf(k);
    expect(usage.refusedBy).toEqual([{ reason, calls: 1 }]);
    expect(usage.refusals.map(refusalText)).toEqual([expect.stringMatching(text)]);
  });

  it('deactivated (activated once, then switched off)', async () => {
    const k = await key({ status: 'inactive' });
    await handle.db
      .update(apiKeys)
      .set({ activatedAt: new Date(Date.now() - 60_000) })
      .where(eq(apiKeys.id, k.id));
    expect((await gateway.rest(signed(k, 'get_my_wallet_balance'))).status).toBe(401);
    expect((await explained(k))[0]).toMatch(/^the key is deactivated: activate it again/);
  });

  it('address not on the whitelist', async () => {
    const k = await key({ ipWhitelist: ['10.0.0.0/8'] });
    expect((await gateway.rest(signed(k, 'get_my_wallet_balance', {}, { ip: '203.0.113.9' }))).status).toBe(403);
    expect((await explained(k))[0]).toMatch(/^address 203\.0\.113\.9 is not on this key's whitelist: /);
  });

  it('permission missing', async () => {
    const k = await key({ permissions: ['read'] });
    const body = { clientTxId: `usage-${k.id}`, accountId: '', currency: 'USD', amount: '1' };
    expect((await gateway.rest(signed(k, 'do_deposit_funds_from_wallet', body))).status).toBe(403);
    expect((await explained(k))[0]).toMatch(/^the key lacks the Funds Wallet permission for do_deposit_funds_from_wallet: /);
  });

  it('rate limit, with the limit', async () => {
    const limited = new ApiGateway(() => handle.db);
    Object.assign(limited, {
      limiter: new RateLimiter(
        () => handle.db,
        () => 3,
      ),
    });
    const k = await key();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await limited.rest(signed(k, 'get_my_wallet_balance'))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    await limited.usage.flush();
    const usage = await findKeyUsage(handle.db, atlas, k.id);
    expect(usage.actions).toEqual([{ action: 'get_my_wallet_balance', accepted: 3, refused: 2 }]);
    expect(usage.refusals.map(refusalText)).toEqual([
      expect.stringMatching(/^rate limit: 3 per minute: /),
      expect.stringMatching(/^rate limit: 3 per minute: /),
    ]);
  });

  it('replay: a mutating call sent twice runs once, counted once accepted and once repeated', async () => {
    const k = await key({ permissions: ['read', 'funds_internal'] });
    const body = { clientTxId: `replay-${k.id}`, fromAccountId: '', toAccountId: 'bot-1', currency: 'USD', amount: '1' };
    const request = signed(k, 'do_my_internal_transfer', body);
    const first = await gateway.rest(request);
    const again = await gateway.rest(request);
    expect(again.status).toBe(first.status);
    const usage = await usageOf(k);
    expect(usage.actions).toEqual([{ action: 'do_my_internal_transfer', accepted: 1, refused: 1 }]);
    expect(usage.refusals.map(refusalText)).toEqual([expect.stringMatching(/^the same signed request arrived again: /)]);
  });

  it('an unknown key is attributed to no one', async () => {
    const count = async () =>
      rowsOf<{ n: number }>(
        await handle.db.execute(sql`select (select count(*) from api_key_refusals) + (select count(*) from api_key_usage_minutes) as n`),
      )[0].n;
    await gateway.usage.flush();
    const before = Number(await count());
    const stranger = { publicKey: 'kd_nobody_has_this_key_000000000', secret: 'x'.repeat(43) };
    expect((await gateway.rest(signed(stranger, 'get_my_wallet_balance'))).status).toBe(401);
    await gateway.usage.flush();
    expect(Number(await count())).toBe(before);
  });

  it('never stores the secret, the signature or the body', async () => {
    const k = await key();
    const request = flip(signed(k, 'get_my_wallet_balance', { currencies: ['BTC-marker-body'] }));
    await gateway.rest(request);
    await gateway.rest({ ...signed(k, 'get_my_wallet_balance'), timestamp: 'not-a-time' });
    await gateway.usage.flush();
    const stored = JSON.stringify(await handle.db.select().from(apiKeyRefusals).where(eq(apiKeyRefusals.apiKeyId, k.id)));
    expect(stored).toContain('signature');
    for (const secretPart of [k.secret, request.signature!, 'BTC-marker-body', 'not-a-time']) expect(stored).not.toContain(secretPart);
  });

  it('keeps the last 50 refusals of a key, newest first', async () => {
    const k = await key();
    const base = Date.now() - 120_000;
    for (let i = 0; i < 30; i++) await gateway.rest({ ...signed(k, 'get_my_wallet_balance'), signature: 'bad' }, new Date(base + i));
    await gateway.usage.flush();
    for (let i = 30; i < 70; i++) await gateway.rest({ ...signed(k, 'get_my_wallet_balance'), signature: 'bad' }, new Date(base + i));
    const usage = await usageOf(k);
    expect(usage.refusals).toHaveLength(50);
    expect(usage.refusals[0].at.getTime()).toBe(base + 69);
    expect(usage.refusals[49].at.getTime()).toBe(base + 20);
    expect(await handle.db.$count(apiKeyRefusals, eq(apiKeyRefusals.apiKeyId, k.id))).toBe(50);
    expect(usage.refusedBy).toEqual([{ reason: 'signature', calls: 70 }]);
  });
});

describe('roll-up and retention', () => {
  const hourRows = (k: TestKey) =>
    handle.db
      .select({
        hour: apiKeyUsageHours.hour,
        action: apiKeyUsageHours.action,
        outcome: apiKeyUsageHours.outcome,
        calls: apiKeyUsageHours.calls,
      })
      .from(apiKeyUsageHours)
      .where(eq(apiKeyUsageHours.apiKeyId, k.id));

  it('sums the minutes of several processes into hours, once each, late counts included', async () => {
    const k = await key();
    const a = new UsageRecorder(() => handle.db);
    const b = new UsageRecorder(() => handle.db);
    const at = (iso: string) => new Date(iso);
    for (let i = 0; i < 3; i++) a.accepted(k.id, 'get_my_wallet_balance', '198.51.100.1', at('2026-12-01T10:05:10Z'));
    b.accepted(k.id, 'get_my_wallet_balance', '198.51.100.2', at('2026-12-01T10:05:50Z'));
    b.accepted(k.id, 'get_my_wallet_balance', '198.51.100.2', at('2026-12-01T10:59:59Z'));
    b.refused(k.id, 'get_my_wallet_balance', '198.51.100.2', at('2026-12-01T11:00:00Z'), 'rest', 'signature');
    await Promise.all([a.flush(), b.flush()]);
    // Two processes rolling up at once add each call once.
    await Promise.all([rollUpUsage(handle.db), rollUpUsage(handle.db)]);
    expect(await rollUpUsage(handle.db)).toBe(0);
    // A slow process's late count for a minute already rolled up is added on the next pass.
    a.accepted(k.id, 'get_my_wallet_balance', '198.51.100.1', at('2026-12-01T10:05:30Z'));
    await a.flush();
    expect(await rollUpUsage(handle.db)).toBe(1);
    const rows = (await hourRows(k)).map((r) => ({ ...r, hour: r.hour.toISOString() }));
    expect(rows.sort((x, y) => x.hour.localeCompare(y.hour))).toEqual([
      { hour: '2026-12-01T10:00:00.000Z', action: 'get_my_wallet_balance', outcome: 'accepted', calls: 6 },
      { hour: '2026-12-01T11:00:00.000Z', action: 'get_my_wallet_balance', outcome: 'signature', calls: 1 },
    ]);
    const minute = await handle.db
      .select({ calls: apiKeyUsageMinutes.calls, rolled: apiKeyUsageMinutes.rolledCalls })
      .from(apiKeyUsageMinutes)
      .where(sql`${apiKeyUsageMinutes.apiKeyId} = ${k.id} and ${apiKeyUsageMinutes.minute} = '2026-12-01T10:05:00Z'`);
    expect(minute).toEqual([{ calls: 5, rolled: 5 }]);
    const addresses = await handle.db.select().from(apiKeyAddresses).where(eq(apiKeyAddresses.apiKeyId, k.id));
    expect(
      addresses.map((r) => [r.address, r.accepted, r.refused, r.firstSeenAt.toISOString(), r.lastSeenAt.toISOString()]).sort(),
    ).toEqual([
      ['198.51.100.1', 4, 0, '2026-12-01T10:05:10.000Z', '2026-12-01T10:05:30.000Z'],
      ['198.51.100.2', 2, 1, '2026-12-01T10:05:50.000Z', '2026-12-01T11:00:00.000Z'],
    ]);
  });

  it('the page counts minutes not yet rolled up, without counting rolled ones twice', async () => {
    const k = await key();
    const now = new Date();
    const r = new UsageRecorder(() => handle.db);
    r.accepted(k.id, 'get_my_wallet_balance', null, now);
    await r.flush();
    await rollUpUsage(handle.db);
    r.accepted(k.id, 'get_my_wallet_balance', null, now);
    r.refused(k.id, 'get_my_wallet_balance', null, now, 'rest', 'timestamp', { offsetSeconds: 41, windowSeconds: 30 });
    await r.flush();
    const usage = await findKeyUsage(handle.db, atlas, k.id, now);
    expect(usage.hours).toEqual([{ hour: new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000), accepted: 2, refused: 1 }]);
  });

  it('keeps minute rows 48 h, hour rows 90 days, refusals 7 days, addresses 90 days', async () => {
    const k = await key();
    const now = new Date('2026-12-03T12:00:00Z');
    const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const r = new UsageRecorder(() => handle.db);
    r.accepted(k.id, 'get_my_wallet_balance', '198.51.100.1', ago(49)); // past 48 h
    r.accepted(k.id, 'get_my_wallet_balance', '198.51.100.1', ago(47));
    r.refused(k.id, 'get_my_wallet_balance', '198.51.100.2', ago(8 * 24), 'rest', 'signature'); // past 7 days
    r.refused(k.id, 'get_my_wallet_balance', '198.51.100.3', ago(6 * 24), 'rest', 'signature');
    await r.flush();
    await handle.db.insert(apiKeyUsageHours).values([
      { apiKeyId: k.id, hour: ago(91 * 24), action: 'get_my_wallet_balance', outcome: 'accepted', calls: 7 },
      { apiKeyId: k.id, hour: ago(89 * 24), action: 'get_my_wallet_balance', outcome: 'accepted', calls: 8 },
    ]);
    await handle.db.insert(apiKeyAddresses).values({
      apiKeyId: k.id,
      address: '198.51.100.9',
      firstSeenAt: ago(100 * 24),
      lastSeenAt: ago(91 * 24),
      accepted: 1,
    });
    // The job rolls up before it prunes: the old minute is in the hours before it goes.
    await rollUpUsage(handle.db);
    await pruneUsage(handle.db, now);
    const minutes = await handle.db.select().from(apiKeyUsageMinutes).where(eq(apiKeyUsageMinutes.apiKeyId, k.id));
    expect(minutes.map((m) => m.minute)).toEqual([ago(47)]);
    const hours = await hourRows(k);
    expect(hours.map((h) => h.calls).sort()).toEqual([1, 1, 1, 1, 8].sort());
    const refusals = await handle.db.select().from(apiKeyRefusals).where(eq(apiKeyRefusals.apiKeyId, k.id));
    expect(refusals.map((x) => x.address)).toEqual(['198.51.100.3']);
    const addresses = await handle.db.select().from(apiKeyAddresses).where(eq(apiKeyAddresses.apiKeyId, k.id));
    expect(addresses.map((a) => a.address).sort()).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3']);
  });

  it('a minute row not yet rolled up is never pruned', async () => {
    const k = await key();
    const now = new Date('2026-12-03T12:00:00Z');
    const r = new UsageRecorder(() => handle.db);
    r.accepted(k.id, 'get_my_wallet_balance', null, new Date(now.getTime() - 50 * 3_600_000));
    await r.flush();
    await pruneUsage(handle.db, now);
    expect(await handle.db.$count(apiKeyUsageMinutes, eq(apiKeyUsageMinutes.apiKeyId, k.id))).toBe(1);
  });

  it('the job rolls up and prunes off the request path, and counts of a deleted key are dropped, not failed', async () => {
    const k = await key();
    const gone = await key();
    const r = new UsageRecorder(() => handle.db);
    r.accepted(k.id, 'get_my_wallet_balance', '198.51.100.1', new Date());
    r.accepted(gone.id, 'get_my_wallet_balance', '198.51.100.1', new Date());
    await handle.db.delete(apiKeys).where(eq(apiKeys.id, gone.id));
    await r.flush();
    const job = startUsageRollup(() => handle.db, 3_600_000);
    await job.runOnce();
    await job.stop();
    expect((await hourRows(k)).map((h) => h.calls)).toEqual([1]);
    expect(await handle.db.$count(apiKeyUsageMinutes, eq(apiKeyUsageMinutes.apiKeyId, gone.id))).toBe(0);
  });
});
