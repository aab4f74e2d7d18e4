import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, apiRateWindows } from '@/db/schema';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { ApiGateway } from '@/lib/api/gateway';
import { leaseSize, RateLimiter } from '@/lib/api/rate-limit';
import { API_ACTIONS } from '@/lib/api/registry';
import { PERMISSIONS, type Permission } from '@/lib/keys/permissions';
import { signed } from '../support/api';
import { makeKey } from '../support/keys';
import { balanceOf } from '../support/ledger';

let handle: TestDatabase;
let gateway: ApiGateway;
let atlas: string;

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  gateway = new ApiGateway(() => handle.db);
  atlas = await accountIdOf(handle.db, 'Atlas Capital');
});
afterAll(async () => handle?.dispose());

const authenticated = API_ACTIONS.filter((a) => a.permission !== null);

describe('permission matrix: every action, with and without its permission', () => {
  it.each(authenticated.map((a) => [a.name, a.permission as Permission] as const))('%s needs %s', async (name, permission) => {
    const action = authenticated.find((a) => a.name === name)!;
    const holder = await makeKey(handle.db, { accountId: atlas, permissions: permission === 'read' ? ['read'] : ['read', permission] });
    const granted = await gateway.rest(signed(holder, name, action.exampleParams));
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    expect(granted.body.ok).toBe('ok');

    const lacking = await makeKey(handle.db, { accountId: atlas, permissions: PERMISSIONS.filter((p) => p !== permission) });
    const refused = await gateway.rest(signed(lacking, name, action.exampleParams));
    expect(refused.status).toBe(403);
    expect(String(refused.body.error)).toContain(permission);
  });
});

describe('authentication', () => {
  const action = 'get_my_account_status_v3';

  it('answers a correctly signed call', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const res = await gateway.rest(signed(key, action));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      convertedCurrency: 'USD',
      balancesPerAccounts: { '': { BTC: { balance: expect.stringMatching(/^\d+\.\d{8}$/) } } },
    });
  });

  it.each([
    ['an unknown key', (r: ReturnType<typeof signed>) => ({ ...r, key: 'kd_unknown' })],
    ['no key header', (r: ReturnType<typeof signed>) => ({ ...r, key: null })],
    [
      'a bad signature',
      (r: ReturnType<typeof signed>) => ({ ...r, signature: (r.signature ?? '').replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }),
    ],
    ['a body changed after signing', (r: ReturnType<typeof signed>) => ({ ...r, rawBody: Buffer.from('{"accountIds":[""]}') })],
    ['another action than signed', (r: ReturnType<typeof signed>) => ({ ...r, action: 'get_my_wallet_balance' })],
  ])('refuses %s with 401 Authorization Failed', async (_label, tamper) => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const res = await gateway.rest(tamper(signed(key, action)));
    expect(res).toMatchObject({ status: 401, body: { error: 'Authorization Failed' } });
  });

  it('refuses timestamps outside ±30 s and accepts them inside', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const now = Math.floor(Date.now() / 1000);
    expect((await gateway.rest(signed(key, action, {}, { timestamp: now - 31 }))).status).toBe(401);
    expect((await gateway.rest(signed(key, action, {}, { timestamp: now + 31 }))).status).toBe(401);
    expect((await gateway.rest(signed(key, action, {}, { timestamp: now - 25 }))).status).toBe(200);
  });

  it.each([
    ['inactive', { status: 'inactive' as const }],
    ['expired', { expiresAt: new Date(Date.now() - 1000) }],
    ['suspended', { suspendedAt: new Date() }],
    ['revoked', { revokedAt: new Date() }],
  ])('refuses an %s key with 401', async (_label, state) => {
    const key = await makeKey(handle.db, { accountId: atlas, ...state });
    expect(await gateway.rest(signed(key, action))).toMatchObject({ status: 401, body: { error: 'Authorization Failed' } });
  });

  it('refuses a key whose stored secret cannot be decrypted, like an unknown key', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    await handle.db.update(apiKeys).set({ secretEnc: 'v1.k1.AAAA.AAAA.AAAA' }).where(eq(apiKeys.id, key.id));
    expect(await gateway.rest(signed(key, action))).toMatchObject({ status: 401, body: { error: 'Authorization Failed' } });
  });

  it('checks the caller address against the whitelist', async () => {
    const key = await makeKey(handle.db, { accountId: atlas, ipWhitelist: ['10.0.0.0/8', '2001:db8::1'] });
    expect((await gateway.rest(signed(key, action, {}, { ip: '10.1.2.3' }))).status).toBe(200);
    expect((await gateway.rest(signed(key, action, {}, { ip: '2001:db8::1' }))).status).toBe(200);
    expect((await gateway.rest(signed(key, action, {}, { ip: '11.0.0.1' }))).status).toBe(403);
    expect((await gateway.rest(signed(key, action, {}, { ip: null }))).status).toBe(403);
  });
});

describe('requests', () => {
  it('answers 400 for an unknown action and for malformed JSON, 422 naming the bad field', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    expect(await gateway.rest(signed(key, 'get_everything'))).toMatchObject({ status: 400 });
    expect(await gateway.rest(signed(key, 'get_my_account_status_v3', undefined, { raw: '{"accountIds":' }))).toMatchObject({
      status: 400,
      body: { error: 'Malformed JSON body' },
    });
    const res = await gateway.rest(signed(key, 'get_my_account_status_v3', { accountIds: 'main' }));
    expect(res.status).toBe(422);
    expect(String(res.body.error)).toMatch(/^accountIds: /);
  });

  it('answers a byte-identical retry of a mutating request with the first answer, and no second effect', async () => {
    const key = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
    // No clientTxId: only the retry protection can stop a second transfer.
    const request = signed(key, 'do_my_internal_transfer', { fromAccountId: '', toAccountId: 'retry-1', currency: 'USD', amount: '1' });
    const first = await gateway.rest(request);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await gateway.rest(request)).toEqual(first);
    expect((await balanceOf(handle.db, atlas, 'retry-1', 'USD')).available).toBe('1');
    const read = signed(key, 'get_my_account_status_v3');
    expect((await gateway.rest(read)).status).toBe(200);
    expect((await gateway.rest(read)).status).toBe(200);
  });

  it("refuses X-ON-BEHALF-OF-USER-ID with 400 rather than running the call on the key's own account", async () => {
    const key = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
    const request = {
      ...signed(key, 'do_my_internal_transfer', { fromAccountId: '', toAccountId: 'obo-1', currency: 'USD', amount: '1' }),
      onBehalfOf: '12345',
    };
    expect(await gateway.rest(request)).toEqual({
      status: 400,
      body: { error: 'X-ON-BEHALF-OF-USER-ID is not supported: calls run on the API key’s own account' },
    });
    expect((await balanceOf(handle.db, atlas, 'obo-1', 'USD')).available).toBe('0');
    expect((await gateway.rest({ ...signed(key, 'get_my_wallet_balance'), onBehalfOf: '' })).status).toBe(400);
  });

  it('a rejected order is an ok answer with status REJECTED and its reason, as CEX.IO sends it; malformed params stay 422', async () => {
    const key = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
    const params = { clientOrderId: 'too-big-1', currency1: 'BTC', currency2: 'USD', side: 'BUY', orderType: 'Market', amountCcy1: '50' };
    const res = await gateway.rest(signed(key, 'do_my_new_order', params));
    expect(res).toMatchObject({
      status: 200,
      body: {
        ok: 'ok',
        data: { clientOrderId: 'too-big-1', status: 'REJECTED', executionType: 'Rejected', rejectCode: expect.any(Number) },
      },
    });
    expect(String((res.body.data as { rejectReason: string }).rejectReason)).not.toBe('');
    expect((await gateway.rest(signed(key, 'do_my_new_order', { ...params, clientOrderId: 'bad-1', side: 'HOLD' }))).status).toBe(422);
  });

  it('two copies sent at once: one effect, the same answer to both', async () => {
    const key = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
    const request = signed(key, 'do_my_internal_transfer', { fromAccountId: '', toAccountId: 'retry-2', currency: 'USD', amount: '1' });
    const [a, b] = await Promise.all([gateway.rest(request), gateway.rest(request)]);
    expect(a.status).toBe(200);
    expect(b).toEqual(a);
    expect((await balanceOf(handle.db, atlas, 'retry-2', 'USD')).available).toBe('1');
  });

  it('a retried refusal answers the same refusal, not "already processed"', async () => {
    const key = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
    const request = signed(key, 'do_my_internal_transfer', {
      fromAccountId: '',
      toAccountId: 'retry-3',
      currency: 'USD',
      amount: '999999999999',
    });
    const first = await gateway.rest(request);
    expect(first).toMatchObject({ status: 422, body: { error: 'Insufficient funds' } });
    expect(await gateway.rest(request)).toEqual(first);
    // A new request (new timestamp) is a new attempt, not a retry.
    const later = signed(
      key,
      'do_my_internal_transfer',
      { fromAccountId: '', toAccountId: 'retry-3', currency: 'USD', amount: '1' },
      { timestamp: Math.floor(Date.now() / 1000) + 1 },
    );
    expect((await gateway.rest(later)).status).toBe(200);
  });

  it('serves public actions without a key, and only public ones', async () => {
    const time = await gateway.publicAction('get_server_time', Buffer.from('{}'));
    expect(time.status).toBe(200);
    expect(Math.abs((time.body.data as { timestamp: number }).timestamp - Date.now())).toBeLessThan(5000);
    expect((await gateway.publicAction('get_my_account_status_v3', Buffer.from(''))).status).toBe(400);
    expect((await gateway.publicAction('get_order_book', Buffer.from('{"pair":"DOGE-USD"}'))).status).toBe(422);
  });
});

describe('rate limit', () => {
  it('allows the limit per minute, then 429 with Retry-After; refused signatures use no quota', async () => {
    const limited = new ApiGateway(() => handle.db);
    Object.assign(limited, {
      limiter: new RateLimiter(
        () => handle.db,
        () => 12,
      ),
    });
    const key = await makeKey(handle.db, { accountId: atlas });
    for (let i = 0; i < 5; i++) {
      expect((await limited.rest({ ...signed(key, 'get_my_wallet_balance'), signature: 'bad' })).status).toBe(401);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await limited.rest(signed(key, 'get_my_wallet_balance'))).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(12);
    const refused = await limited.rest(signed(key, 'get_my_wallet_balance'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers?.['Retry-After'])).toBeGreaterThan(0);
  });

  it('is shared by two processes on one database', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const a = new RateLimiter(
      () => handle.db,
      () => 15,
    );
    const b = new RateLimiter(
      () => handle.db,
      () => 15,
    );
    let ok = 0;
    for (let i = 0; i < 20; i++) {
      if ((await a.take(key.id)).ok) ok++;
      if ((await b.take(key.id)).ok) ok++;
    }
    expect(ok).toBe(15);
  });

  it('gives parallel clients the whole limit across two processes: 300 of 400 in flight at once', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const processes = [new RateLimiter(() => handle.db), new RateLimiter(() => handle.db)];
    const now = Date.now();
    const calls = Array.from({ length: 400 }, (_, i) => processes[i % 2].take(key.id, now));
    const decisions = await Promise.all(calls);
    expect(decisions.filter((d) => d.ok)).toHaveLength(300);
  });

  it('an exhausted key costs no database write per refused request', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const limiter = new RateLimiter(() => handle.db);
    const now = Date.now();
    for (let i = 0; i < 300; i++) expect((await limiter.take(key.id, now)).ok).toBe(true);
    const used = async () =>
      (await handle.db.select({ used: apiRateWindows.used }).from(apiRateWindows).where(eq(apiRateWindows.apiKeyId, key.id)))[0].used;
    const afterLimit = await used();
    const refused = await Promise.all(Array.from({ length: 300 }, () => limiter.take(key.id, now)));
    expect(refused.every((d) => !d.ok)).toBe(true);
    expect(await used()).toBeLessThanOrEqual(afterLimit + leaseSize(300));
  });

  it('leases larger blocks under a larger limit, and the limit still holds exactly across processes', async () => {
    expect(leaseSize(300)).toBe(10);
    expect(leaseSize(12)).toBe(1);
    expect(leaseSize(1_000_000)).toBe(1000);
    const key = await makeKey(handle.db, { accountId: atlas });
    const a = new RateLimiter(
      () => handle.db,
      () => 900,
    );
    const b = new RateLimiter(
      () => handle.db,
      () => 900,
    );
    await a.take(key.id);
    const [window] = await handle.db.select({ used: apiRateWindows.used }).from(apiRateWindows).where(eq(apiRateWindows.apiKeyId, key.id));
    expect(window.used).toBe(30); // one write took a thirtieth of the minute
    let ok = 1;
    for (let i = 0; i < 500; i++) {
      if ((await a.take(key.id)).ok) ok++;
      if ((await b.take(key.id)).ok) ok++;
    }
    expect(ok).toBe(900);
  });
});

describe('parameters and fields as CEX.IO documents them', () => {
  it('get_my_orders pages from pageNumber 0', async () => {
    const key = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
    for (const id of ['page-a', 'page-b']) {
      const order = {
        clientOrderId: id,
        accountId: 'pages',
        currency1: 'BTC',
        currency2: 'USD',
        side: 'SELL',
        orderType: 'Limit',
        amountCcy1: '0.001',
        price: '90000',
      };
      await gateway.rest(
        signed(key, 'do_my_internal_transfer', {
          clientTxId: `fund-${id}`,
          fromAccountId: '',
          toAccountId: 'pages',
          currency: 'BTC',
          amount: '0.001',
        }),
      );
      expect((await gateway.rest(signed(key, 'do_my_new_order', order))).body).toMatchObject({ ok: 'ok', data: { status: 'NEW' } });
    }
    const page = async (pageNumber: number) =>
      (
        (await gateway.rest(signed(key, 'get_my_orders', { accountId: 'pages', pageSize: 1, pageNumber }))).body.data as {
          clientOrderId: string;
        }[]
      ).map((o) => o.clientOrderId);
    expect(await page(0)).toEqual(['page-b']);
    expect(await page(1)).toEqual(['page-a']);
  });

  it('account status: the currencies filter is honoured and each balance carries its USD value', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const res = await gateway.rest(signed(key, 'get_my_account_status_v3', { accountIds: [''], currencies: ['USD'] }));
    const main = (res.body.data as { balancesPerAccounts: Record<string, Record<string, unknown>> }).balancesPerAccounts[''];
    expect(Object.keys(main)).toEqual(['USD']);
    expect(main.USD).toMatchObject({ balanceInConvertedCurrency: (main.USD as { balance: string }).balance });
    expect((await gateway.rest(signed(key, 'get_my_account_status_v3', { currencies: ['XYZ'] }))).status).toBe(422);
  });

  it("transaction type takes CEX.IO's deposit and withdraw; funding history filters by direction", async () => {
    const key = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
    const run = async (action: string, params: Record<string, unknown>) => (await gateway.rest(signed(key, action, params))).body;
    await run('do_deposit_funds_from_wallet', { clientTxId: 'dir-in', accountId: 'dir', currency: 'USD', amount: '5' });
    await run('do_withdrawal_funds_to_wallet', { clientTxId: 'dir-out', accountId: 'dir', currency: 'USD', amount: '2' });
    const types = async (type: string) =>
      ((await run('get_my_transaction_history', { accountId: 'dir', type })).data as { type: string }[]).map((t) => t.type);
    expect(await types('deposit')).toEqual(['walletDeposit']);
    expect(await types('withdraw')).toEqual(['walletWithdrawal']);
    const directions = async (direction: string) =>
      ((await run('get_my_funding_history', { accountId: 'dir', direction })).data as { clientTxId: string }[]).map((f) => f.clientTxId);
    expect(await directions('deposit')).toEqual(['dir-in']);
    expect(await directions('withdraw')).toEqual(['dir-out']);
  });
});
