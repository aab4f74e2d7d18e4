import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, apiKeyUsageHours, apiUsageTracking, keyChanges, users } from '@/db/schema';
import { MONEY_PERMISSION_ACTIONS, unusedMoneyPermissions } from '@/lib/api/unused-permissions';
import { UsageRecorder } from '@/lib/api/usage';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { makeKey } from '../support/keys';

let handle: TestDatabase;
let atlas: string;
let borealis: string;
const DAY = 24 * 60 * 60 * 1000;
const now = new Date();
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  atlas = await accountIdOf(handle.db, 'Atlas Capital');
  borealis = await accountIdOf(handle.db, 'Borealis Markets');
  // Counting began long ago on this database (the migration records when it did).
  await handle.db.update(apiUsageTracking).set({ startedAt: daysAgo(120) });
});
afterAll(async () => handle?.dispose());

const MONEY = ['read', 'trade', 'funds_wallet', 'funds_external'];

async function oldKey(createdDaysAgo = 40, permissions = MONEY) {
  const k = await makeKey(handle.db, { accountId: atlas, permissions });
  await handle.db
    .update(apiKeys)
    .set({ createdAt: daysAgo(createdDaysAgo) })
    .where(eq(apiKeys.id, k.id));
  return k;
}

const hourRow = (apiKeyId: string, action: string, outcome: string, at: Date) =>
  handle.db
    .insert(apiKeyUsageHours)
    .values({ apiKeyId, hour: new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000), action, outcome, calls: 3 });

describe('unused money permissions (least privilege)', () => {
  it('the actions that count come from the registry', () => {
    expect(MONEY_PERMISSION_ACTIONS.funds_wallet).toContain('do_deposit_funds_from_wallet');
    expect(MONEY_PERMISSION_ACTIONS.funds_external.length).toBeGreaterThan(0);
  });

  it('lists money permissions held 30+ days with no accepted call needing them; trade and read are not money', async () => {
    const k = await oldKey();
    expect(await unusedMoneyPermissions(handle.db, atlas, k.id, now)).toEqual(['funds_wallet', 'funds_external']);
    await hourRow(k.id, 'do_deposit_funds_from_wallet', 'accepted', daysAgo(10));
    expect(await unusedMoneyPermissions(handle.db, atlas, k.id, now)).toEqual(['funds_external']);
  });

  it('refused calls, and calls older than 30 days, are not use', async () => {
    const k = await oldKey(60);
    const external = MONEY_PERMISSION_ACTIONS.funds_external[0];
    await hourRow(k.id, external, 'address', daysAgo(2));
    await hourRow(k.id, external, 'accepted', daysAgo(31));
    expect(await unusedMoneyPermissions(handle.db, atlas, k.id, now)).toContain('funds_external');
  });

  it('counts calls not yet rolled up into hours', async () => {
    const k = await oldKey();
    const recorder = new UsageRecorder(() => handle.db);
    recorder.accepted(k.id, MONEY_PERMISSION_ACTIONS.funds_external[0], '198.51.100.1', now);
    await recorder.flush();
    expect(await unusedMoneyPermissions(handle.db, atlas, k.id, now)).toEqual(['funds_wallet']);
  });

  it('a key younger than 30 days has nothing unused', async () => {
    const k = await oldKey(29);
    expect(await unusedMoneyPermissions(handle.db, atlas, k.id, now)).toEqual([]);
  });

  it('a widening edit in the window that lists the permission restarts its 30 days; an older one does not', async () => {
    const [owner] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, 'owner@keydesk.test'));
    const k = await oldKey(90);
    const edit = (days: number) =>
      handle.db.insert(keyChanges).values({
        apiKeyId: k.id,
        accountId: atlas,
        userId: owner.id,
        kind: 'edit',
        status: 'applied',
        widens: true,
        changes: { name: 'k', permissions: ['read', 'funds_external'], ipWhitelist: [], expiresAt: null },
        createdAt: daysAgo(days),
      });
    await edit(45);
    expect(await unusedMoneyPermissions(handle.db, atlas, k.id, now)).toEqual(['funds_wallet', 'funds_external']);
    await edit(5);
    expect(await unusedMoneyPermissions(handle.db, atlas, k.id, now)).toEqual(['funds_wallet']);
  });

  it('counts from the start of usage counting, not before it', async () => {
    const k = await oldKey(200);
    await handle.db.update(apiUsageTracking).set({ startedAt: daysAgo(3) });
    try {
      expect(await unusedMoneyPermissions(handle.db, atlas, k.id, now)).toEqual([]);
    } finally {
      await handle.db.update(apiUsageTracking).set({ startedAt: daysAgo(120) });
    }
  });

  it("another account's key has nothing to show", async () => {
    const k = await oldKey();
    expect(await unusedMoneyPermissions(handle.db, borealis, k.id, now)).toEqual([]);
  });
});
