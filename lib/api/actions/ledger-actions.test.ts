import { createSecretKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, openLedgerTestDb, type LedgerTestDb } from '@/test/support/ledger';
import { PERMISSIONS } from '@/lib/keys/permissions';
import { ApiGateway } from '@/lib/api/gateway';
import { errorResponse } from '@/lib/api/responses';
import type { ApiKeyRecord } from '@/lib/api/key-store';
import { API_ACTIONS, findAction } from '@/lib/api/registry';
import { fundsActions } from './funds';
import { historyActions } from './history';
import { orderActions } from './orders';
import { tradingActions } from './trading';

let t: LedgerTestDb;
let gateway: ApiGateway;
let key: ApiKeyRecord;

beforeAll(async () => {
  t = await openLedgerTestDb();
  gateway = new ApiGateway(() => t.db);
  const accountId = await accountIdOf(t.db, 'Atlas Capital');
  key = {
    id: '00000000-0000-4000-8000-000000000001',
    publicKey: 'k',
    accountId,
    status: 'active',
    activatedAt: null,
    expiresAt: null,
    suspendedAt: null,
    revokedAt: null,
    permissions: [...PERMISSIONS],
    ipWhitelist: [],
    secret: createSecretKey(Buffer.from('s')),
    previousSecret: null,
    previousSecretExpiresAt: null,
  };
});
afterAll(() => t.close());

const mine = [...orderActions, ...tradingActions, ...fundsActions, ...historyActions];
const run = async (name: string, params: unknown) => gateway.execute(key, findAction(name)!, params, new Date());

/** The same kind of value with the same keys (one level into objects, the first item of arrays). */
function sameShape(actual: unknown, example: unknown): boolean {
  if (Array.isArray(example))
    return Array.isArray(actual) && (actual.length === 0 || example.length === 0 || sameShape(actual[0], example[0]));
  if (example && typeof example === 'object') {
    return (
      !!actual &&
      typeof actual === 'object' &&
      !Array.isArray(actual) &&
      JSON.stringify(Object.keys(actual).sort()) === JSON.stringify(Object.keys(example).sort())
    );
  }
  return true;
}

describe('the ledger actions', () => {
  it('are registered with the permission the spec gives them, do_* as mutating', () => {
    const expected: Record<string, string> = {
      get_my_orders: 'read',
      get_my_transaction_history: 'read',
      get_my_funding_history: 'read',
      get_deposit_address: 'read',
      get_my_trading_conditions: 'read',
      get_my_current_fee: 'read',
      get_my_volume: 'read',
      get_fee_strategy: 'read',
      get_processing_info: 'read',
      do_my_new_order: 'trade',
      do_cancel_my_order: 'trade',
      do_cancel_all_orders: 'trade',
      do_my_internal_transfer: 'funds_internal',
      do_deposit_funds_from_wallet: 'funds_wallet',
      do_withdrawal_funds_to_wallet: 'funds_wallet',
      do_my_external_withdrawal: 'funds_external',
    };
    expect(Object.fromEntries(mine.map((a) => [a.name, a.permission]))).toEqual(expected);
    for (const a of mine) expect(a.mutating, a.name).toBe(a.name.startsWith('do_'));
    expect(new Set(API_ACTIONS.map((a) => a.name)).size).toBe(API_ACTIONS.length);
  });

  it('every example request works against the demo data, in registry order, and again when repeated', async () => {
    const authenticated = API_ACTIONS.filter((a) => a.permission !== null);
    const first = new Map<string, unknown>();
    for (const action of authenticated) first.set(action.name, await run(action.name, action.exampleParams));
    for (const action of authenticated) await run(action.name, action.exampleParams);
    for (const action of mine)
      expect(sameShape(first.get(action.name), action.exampleResponse), `${action.name} answers in the shape of its exampleResponse`).toBe(
        true,
      );
    expect(first.get('do_my_new_order')).toMatchObject({ status: 'NEW', clientOrderId: 'demo-limit-1' });
    expect(first.get('do_cancel_my_order')).toMatchObject({ status: 'CANCELLED', clientOrderId: 'demo-limit-1' });
    const again = (await run('do_my_new_order', findAction('do_my_new_order')!.exampleParams)) as { orderId: string };
    expect(again.orderId).toBe((first.get('do_my_new_order') as { orderId: string }).orderId);
    const status = (await run('get_my_account_status_v3', {})) as { balancesPerAccounts: Record<string, unknown> };
    expect(Object.keys(status.balancesPerAccounts)).toContain('bot-1');
  });

  it('answers market orders by quote amount and lists them', async () => {
    const report = (await run('do_my_new_order', {
      clientOrderId: 'api-m-1',
      currency1: 'BTC',
      currency2: 'USD',
      side: 'buy',
      orderType: 'market',
      amountCcy2: 100,
    })) as Record<string, unknown>;
    expect(report).toMatchObject({ status: 'FILLED', orderType: 'Market', side: 'BUY', requestedAmountCcy2: '100.00', feeCurrency: 'BTC' });
    const listed = (await run('get_my_orders', { clientOrderId: 'api-m-1' })) as Record<string, unknown>[];
    expect(listed.map((o) => o.orderId)).toEqual([report.orderId]);
    const volume = (await run('get_my_volume', {})) as { volume: string };
    expect(Number(volume.volume)).toBeGreaterThan(99);
  });

  it.each([
    [
      'do_my_new_order',
      { currency1: 'BTC', currency2: 'USD', side: 'BUY', orderType: 'Market', amountCcy1: '1e5' },
      /^amountCcy1: must be a positive decimal/,
    ],
    [
      'do_my_new_order',
      { currency1: 'BTC', currency2: 'USD', side: 'BUY', orderType: 'Market', amountCcy1: '-1' },
      /^amountCcy1: must be a positive decimal/,
    ],
    ['do_my_new_order', { currency1: 'BTC', currency2: 'USD', side: 'BUY', orderType: 'Market', amountCcy1: 'NaN' }, /^amountCcy1: /],
    [
      'do_my_new_order',
      { currency1: 'BTC', currency2: 'USD', side: 'BUY', orderType: 'Market', amountCcy1: 0 },
      /^amountCcy1: must be greater than 0/,
    ],
    [
      'do_my_new_order',
      { currency1: 'BTC', currency2: 'USD', side: 'BUY', orderType: 'Market' },
      /^amountCcy1: either amountCcy1 or amountCcy2 is required/,
    ],
    [
      'do_my_new_order',
      { currency1: 'BTC', currency2: 'USD', side: 'BUY', orderType: 'Market', amountCcy1: '1', amountCcy2: '1' },
      /^amountCcy2: /,
    ],
    ['do_my_new_order', { currency1: 'BTC', currency2: 'USD', side: 'BUY', orderType: 'Limit', amountCcy1: '1' }, /^price: required/],
    ['do_my_new_order', { currency1: 'BTC', currency2: 'USD', side: 'HOLD', orderType: 'Market', amountCcy1: '1' }, /^side: /],
    [
      'do_my_new_order',
      { currency1: 'XYZ', currency2: 'USD', side: 'BUY', orderType: 'Market', amountCcy1: '1' },
      /^currency1: unknown currency/,
    ],
    [
      'do_my_new_order',
      { currency1: 'BTC', currency2: 'USD', side: 'BUY', orderType: 'Market', amountCcy1: '1', accountId: 'x'.repeat(65) },
      /^accountId: /,
    ],
    [
      'do_my_internal_transfer',
      { fromAccountId: '', toAccountId: 'a\u0000b', currency: 'USD', amount: '1' },
      /^toAccountId: must not contain control characters/,
    ],
    [
      'do_my_internal_transfer',
      { fromAccountId: '', toAccountId: 'b', currency: 'USD', amount: '10000000000000000' },
      /^amount: must not exceed/,
    ],
    ['get_my_transaction_history', { pageSize: 1001 }, /^pageSize: /],
    ['get_my_transaction_history', { dateFrom: 'yesterday' }, /^dateFrom: /],
    ['get_my_transaction_history', { dateFrom: 253402300800000 }, /^dateFrom: /],
    ['get_my_funding_history', { dateTo: 8_640_000_000_000_000 }, /^dateTo: /],
    ['get_my_orders', { serverCreateTimestampFrom: 253402300800000 }, /^serverCreateTimestampFrom: /],
    ['get_my_orders', { serverCreateTimestampTo: '+010000-01-01T00:00:00Z' }, /^serverCreateTimestampTo: /],
    ['do_cancel_my_order', {}, /^orderId: orderId or clientOrderId is required/],
    ['get_deposit_address', { currency: 'USD' }, /^currency: USD is not a crypto currency/],
  ])('%s refuses %j with a 422 naming the field', async (name, params, message) => {
    const error = await run(name, params).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const { status, body } = errorResponse(error);
    expect([status, body.error]).toEqual([422, expect.stringMatching(message)]);
  });
});
