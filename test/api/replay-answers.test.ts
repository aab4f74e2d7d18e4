import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsOf } from '@/db/client';
import { apiReplayGuard, orders } from '@/db/schema';
import { ApiGateway } from '@/lib/api/gateway';
import { PERMISSIONS } from '@/lib/keys/permissions';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { signed } from '../support/api';
import { makeKey, type TestKey } from '../support/keys';
import { balanceOf } from '../support/ledger';
import { captureLogs } from '../support/log-capture';

/**
 * A mutating call's answer is recorded for its retries after the caller has it: the caller never
 * waits for that write, nor loses its answer when the write fails (lib/api/replay-guard.ts). An
 * order's call is claimed in the order's own transaction instead (lib/ledger/order-placement.ts):
 * the claim, the order and the answer its retries get commit together, or not at all.
 */
let handle: TestDatabase;
let gateway: ApiGateway;
let atlas: string;
let key: TestKey;

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  gateway = new ApiGateway(() => handle.db);
  atlas = await accountIdOf(handle.db, 'Atlas Capital');
  key = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
});
afterAll(async () => handle?.dispose());
afterEach(async () => {
  vi.restoreAllMocks();
  await handle.db.execute(sql`drop trigger if exists hold_answers on api_replay_guard`);
  await handle.db.execute(sql`drop trigger if exists refuse_orders on orders`);
});

/** A trigger on the guard's answers (an UPDATE of a claim): the answer's write runs `body`. */
async function onAnswerWrite(body: string) {
  await handle.db.execute(
    sql.raw(
      `create or replace function keydesk_test_hold_answers() returns trigger language plpgsql as $$ begin ${body}; return new; end $$`,
    ),
  );
  await handle.db.execute(
    sql`create trigger hold_answers before update on api_replay_guard for each row execute function keydesk_test_hold_answers()`,
  );
}

const transfer = (toAccountId: string) =>
  signed(key, 'do_my_internal_transfer', { fromAccountId: '', toAccountId, currency: 'USD', amount: '1' });

const answerOf = async (request: ReturnType<typeof transfer>) => {
  const [row] = await handle.db
    .select({ status: apiReplayGuard.responseStatus })
    .from(apiReplayGuard)
    .where(eq(apiReplayGuard.signature, `${key.id}:${request.signature}`));
  return row?.status ?? null;
};

describe("a mutating call's answer, kept for its retries", () => {
  it('reaches the caller even when it cannot be recorded; the failure is logged, and the effect stands', async () => {
    const logs = captureLogs();
    await onAnswerWrite(`raise exception 'answers cannot be written'`);
    const request = transfer('answer-lost');
    const first = await gateway.rest(request);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.ok).toBe('ok');
    await gateway.flush();
    expect(logs.join('\n')).toContain('could not record the answer to a mutating API call');
    expect(await answerOf(request)).toBeNull();
    expect((await balanceOf(handle.db, atlas, 'answer-lost', 'USD')).available).toBe('1');
  });

  it('is written by the time flush() returns, however slow its write (a node stopping)', async () => {
    await onAnswerWrite('perform pg_sleep(0.5)');
    const request = transfer('answer-slow');
    const first = await gateway.rest(request);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    await gateway.flush();
    expect(await answerOf(request)).toBe(200);
    // A retry gets the recorded answer, and moves nothing again.
    expect(await gateway.rest(request)).toEqual(first);
    expect((await balanceOf(handle.db, atlas, 'answer-slow', 'USD')).available).toBe('1');
  });
});

// No clientOrderId: only the replay protection can stop a second order.
const market = { currency1: 'BTC', currency2: 'USD', side: 'BUY', orderType: 'Market', amountCcy1: '0.001' };

const traderKey = () => makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });

async function ordersOf(key: TestKey): Promise<number> {
  const rows = await handle.db.select({ id: orders.id }).from(orders).where(eq(orders.apiKeyId, key.id));
  return rows.length;
}

async function recordedAnswer(key: TestKey, request: ReturnType<typeof signed>) {
  const [row] = await handle.db
    .select({ status: apiReplayGuard.responseStatus, body: apiReplayGuard.responseBody })
    .from(apiReplayGuard)
    .where(eq(apiReplayGuard.signature, `${key.id}:${request.signature}`));
  return row ? { status: row.status, body: row.body === null ? null : (JSON.parse(row.body) as unknown) } : null;
}

describe("an order's call, claimed in the order's transaction", () => {
  it('a byte-identical retry gets the first answer, recorded with the order, and places nothing', async () => {
    const key = await traderKey();
    const request = signed(key, 'do_my_new_order', market);
    const first = await gateway.rest(request);
    expect(first).toMatchObject({ status: 200, body: { ok: 'ok', data: { status: 'FILLED', orderType: 'Market' } } });
    // Written by the order's own transaction: the claim's row was last written by the transaction
    // that wrote the order.
    expect(await recordedAnswer(key, request)).toEqual({ status: 200, body: first.body });
    const [writers] = rowsOf<{ order: string; answer: string }>(
      await handle.db.execute(sql`
        select (select xmin::text from orders where api_key_id = ${key.id}) as order,
               (select xmin::text from api_replay_guard where signature = ${`${key.id}:${request.signature}`}) as answer`),
    );
    expect(writers.answer).toBe(writers.order);
    expect(await gateway.rest(request)).toEqual(first);
    expect(await ordersOf(key)).toBe(1);
  });

  it('copies sent at once place one order and all get its answer, in one batch or across batches', async () => {
    const key = await traderKey();
    const request = signed(key, 'do_my_new_order', market);
    // Another order of the account runs first, so the copies queue behind it and share a batch.
    const other = signed(key, 'do_my_new_order', { ...market, clientOrderId: 'replay-other' });
    const [placed, ...copies] = await Promise.all([
      gateway.rest(other),
      gateway.rest(request),
      gateway.rest(request),
      gateway.rest(request),
    ]);
    expect(placed.status).toBe(200);
    expect(copies[0].status, JSON.stringify(copies[0].body)).toBe(200);
    expect(copies[1]).toEqual(copies[0]);
    expect(copies[2]).toEqual(copies[0]);
    expect(await ordersOf(key)).toBe(2);
  });

  it('leaves no claim when its order fails: the retry runs, and places the order', async () => {
    const key = await traderKey();
    await handle.db.execute(
      sql.raw(
        `create or replace function keydesk_test_refuse_orders() returns trigger language plpgsql as $$ begin raise exception 'orders cannot be written'; end $$`,
      ),
    );
    await handle.db.execute(
      sql`create trigger refuse_orders before insert on orders for each row execute function keydesk_test_refuse_orders()`,
    );
    const request = signed(key, 'do_my_new_order', market);
    expect((await gateway.rest(request)).status).toBe(500);
    expect(await recordedAnswer(key, request)).toBeNull();
    await handle.db.execute(sql`drop trigger refuse_orders on orders`);
    const retry = await gateway.rest(request);
    expect(retry).toMatchObject({ status: 200, body: { data: { status: 'FILLED' } } });
    expect(await ordersOf(key)).toBe(1);
  });

  it('an order refused by the ledger is answered the same to its retry; malformed params too', async () => {
    const key = await traderKey();
    const expired = { ...market, orderType: 'Limit', price: '50000', timeInForce: 'GTD', expireTime: Date.now() - 60_000 };
    const refusedByLedger = signed(key, 'do_my_new_order', expired);
    const refused = await gateway.rest(refusedByLedger);
    expect(refused).toMatchObject({ status: 422, body: { error: expect.stringContaining('expireTime') } });
    expect(await recordedAnswer(key, refusedByLedger)).toEqual({ status: 422, body: refused.body });
    expect(await gateway.rest(refusedByLedger)).toEqual(refused);

    const malformed = signed(key, 'do_my_new_order', { ...market, side: 'HOLD' });
    const first = await gateway.rest(malformed);
    expect(first.status).toBe(422);
    expect(await gateway.rest(malformed)).toEqual(first);
    expect(await ordersOf(key)).toBe(0);
  });
});
