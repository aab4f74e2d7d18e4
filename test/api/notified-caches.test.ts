import { and, eq, sql } from 'drizzle-orm';
import { inspect } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiKeys, balances } from '@/db/schema';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { ApiGateway } from '@/lib/api/gateway';
import { KeyStore } from '@/lib/api/key-store';
import { eventHub } from '@/lib/platform/events';
import { ledgerTransaction } from '@/lib/ledger/balance-cache';
import { signed } from '../support/api';
import { makeKey, type TestKey } from '../support/keys';
import { balancesChangeHeard } from '../support/ledger';

/**
 * The API keeps keys and balances in memory and relies on LISTEN/NOTIFY to drop them. These tests
 * run with the process listening, as the server does, on PGlite and (with DATABASE_URL) PostgreSQL.
 */
let handle: TestDatabase;
let gateway: ApiGateway;
let atlas: string;
let key: TestKey;

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  await eventHub().start(handle);
  gateway = new ApiGateway(() => handle.db);
  atlas = await accountIdOf(handle.db, 'Atlas Capital');
  key = await makeKey(handle.db, { accountId: atlas, permissions: ['read', 'funds_internal', 'funds_wallet'] });
});
afterAll(async () => handle?.dispose());

async function mainUsd(): Promise<string> {
  const res = await gateway.rest(signed(key, 'get_my_account_status_v3'));
  expect(res.status).toBe(200);
  return (res.body.data as { balancesPerAccounts: Record<string, Record<string, { balance: string }>> }).balancesPerAccounts['']?.USD
    .balance;
}

const usdOfMain = and(eq(balances.subAccount, ''), eq(balances.currency, 'USD'));

describe('balances served from memory', () => {
  it('a client reads its own transfer at once', async () => {
    const before = Number(await mainUsd());
    const transfer = await gateway.rest(
      signed(key, 'do_my_internal_transfer', {
        clientTxId: 'cache-1',
        fromAccountId: '',
        toAccountId: 'cache-bot',
        currency: 'USD',
        amount: '100',
      }),
    );
    expect(transfer.status, JSON.stringify(transfer.body)).toBe(200);
    expect(Number(await mainUsd())).toBe(before - 100);
    const status = await gateway.rest(signed(key, 'get_my_account_status_v3', { accountIds: ['cache-bot'] }));
    expect(status.body.data).toEqual({
      convertedCurrency: 'USD',
      balancesPerAccounts: { 'cache-bot': { USD: { balance: '100.00', balanceOnHold: '0.00', balanceInConvertedCurrency: '100.00' } } },
    });
  });

  it('the writing process drops the account itself, without waiting for the NOTIFY', async () => {
    const before = Number(await mainUsd());
    await ledgerTransaction(handle.db, atlas, async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`); // no trigger, no NOTIFY
      await tx
        .update(balances)
        .set({ available: sql`${balances.available} + 3` })
        .where(and(eq(balances.accountId, atlas), usdOfMain));
    });
    expect(Number(await mainUsd())).toBe(before + 3);
  });

  it('a change by any other writer (another process, plain SQL) arrives through the trigger', async () => {
    const before = Number(await mainUsd());
    const other = otherWriter();
    try {
      await other.addToMainUsd(atlas, 7);
    } finally {
      await other.close();
    }
    await vi.waitFor(async () => expect(Number(await mainUsd())).toBe(before + 7), { timeout: 2000 });
  });

  it('is really in memory: a write that fires no trigger is not seen until the cache is emptied', async () => {
    const before = await mainUsd();
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`); // triggers off
      await tx
        .update(balances)
        .set({ available: sql`${balances.available} + 1` })
        .where(and(eq(balances.accountId, atlas), usdOfMain));
    });
    expect(await mainUsd()).toBe(before);
    if (handle.kind === 'postgres') {
      // A lost LISTEN connection: notifications sent meanwhile are gone, so all is dropped.
      const resynced = new Promise<void>((resolve) => eventHub().onResync(resolve));
      await killListenConnection();
      await resynced;
    } else {
      // PGlite lives in this process and cannot lose a notification; a ledger write drops the account.
      await gateway.rest(
        signed(key, 'do_my_internal_transfer', {
          clientTxId: 'cache-2',
          fromAccountId: 'cache-bot',
          toAccountId: '',
          currency: 'USD',
          amount: '0.01',
        }),
      );
    }
    expect(Number(await mainUsd())).toBeGreaterThan(Number(before));
  });
});

describe('keys served from memory', () => {
  it('a change that lands while the key is first being loaded is not cached over', async () => {
    const target = await makeKey(handle.db, { accountId: atlas });
    const store = new KeyStore(() => handle.db);
    // Hold the first load between its read and its return, to land the change exactly there.
    const read = deferred();
    const release = deferred();
    const load = (store as unknown as { load: (publicKey: string) => Promise<unknown> }).load.bind(store);
    vi.spyOn(store as unknown as { load: typeof load }, 'load').mockImplementationOnce(async (publicKey) => {
      const record = await load(publicKey);
      read.resolve();
      await release.promise;
      return record;
    });
    const loading = store.find(target.publicKey);
    await read.promise;
    // The deactivation commits and its NOTIFY arrives before the first load returns.
    await handle.db.update(apiKeys).set({ status: 'inactive' }).where(eq(apiKeys.id, target.id));
    store.forget(target.id);
    release.resolve();
    expect((await loading)?.status).toBe('active'); // read before the change: answered once…
    expect((await store.find(target.publicKey))?.status).toBe('inactive'); // …but not kept
  });

  it('holds the secret only as a key object: printed, logged or serialized, it shows no secret', async () => {
    const target = await makeKey(handle.db, { accountId: atlas });
    const record = await new KeyStore(() => handle.db).find(target.publicKey);
    expect(record?.secret.export().toString('utf8')).toBe(target.secret); // what it signs with
    for (const shown of [JSON.stringify(record), inspect(record, { depth: 5 }), String(record?.secret)]) {
      expect(shown).not.toContain(target.secret);
    }
  });
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A second connection, as another app process would have (PGlite has one: its own). */
describe('the wallet served from memory', () => {
  async function walletUsd(): Promise<number> {
    const res = await gateway.rest(signed(key, 'get_my_wallet_balance'));
    expect(res.status).toBe(200);
    return Number((res.body.data as Record<string, { balance: string }>).USD.balance);
  }

  it('is really in memory: a write that fires no trigger is not seen until a ledger write drops the account', async () => {
    const before = await walletUsd();
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`); // triggers off
      await tx.execute(sql`update wallet_balances set amount = amount + 1 where account_id = ${atlas} and currency = 'USD'`);
    });
    expect(await walletUsd()).toBe(before);
    const deposit = { clientTxId: 'wallet-cache-1', accountId: '', currency: 'USD', amount: '2' };
    expect((await gateway.rest(signed(key, 'do_deposit_funds_from_wallet', deposit))).status).toBe(200);
    // The client reads its own write at once: the plain +1 and its deposit's −2.
    expect(await walletUsd()).toBe(before + 1 - 2);
  });

  it('a change by any other writer (another process, plain SQL) arrives through the trigger', async () => {
    const before = await walletUsd();
    const other = otherWriter();
    try {
      await other.addToWalletUsd(atlas, 5);
    } finally {
      await other.close();
    }
    await vi.waitFor(async () => expect(await walletUsd()).toBe(before + 5), { timeout: 2000 });
  });
});

describe('order lists served from memory', () => {
  let trader: TestKey;
  beforeAll(async () => {
    trader = await makeKey(handle.db, { accountId: atlas, permissions: ['read', 'trade'] });
  });
  const order = (clientOrderId: string, price = '50000') => ({
    clientOrderId,
    currency1: 'BTC',
    currency2: 'USD',
    side: 'BUY',
    orderType: 'Limit',
    amountCcy1: '0.001',
    price,
  });
  async function listed(clientOrderId: string): Promise<{ status: string; comment: string | null }[]> {
    const res = await gateway.rest(signed(trader, 'get_my_orders', { clientOrderId }));
    expect(res.status).toBe(200);
    return res.body.data as { status: string; comment: string | null }[];
  }

  it('is really in memory: a write that fires no trigger is not seen until the client’s own cancel drops the account', async () => {
    // The order's own notification (its hold moved a balance) drops the list when it arrives,
    // which may be after the answer: heard first, so that the list read next stays in memory.
    const heard = balancesChangeHeard(atlas);
    expect((await gateway.rest(signed(trader, 'do_my_new_order', order('list-cache-1')))).status).toBe(200);
    await heard;
    expect(await listed('list-cache-1')).toMatchObject([{ status: 'NEW', comment: null }]);
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`); // triggers off
      await tx.execute(sql`update orders set comment = 'unseen' where client_order_id = 'list-cache-1'`);
    });
    expect(await listed('list-cache-1')).toMatchObject([{ status: 'NEW', comment: null }]);
    expect((await gateway.rest(signed(trader, 'do_cancel_my_order', { clientOrderId: 'list-cache-1' }))).status).toBe(200);
    expect(await listed('list-cache-1')).toMatchObject([{ status: 'CANCELLED', comment: 'unseen' }]);
  });

  it('an order that moves no balance (rejected: price out of band) is listed at once', async () => {
    const open = await gateway.rest(signed(trader, 'get_my_orders', { archived: true }));
    const before = (open.body.data as unknown[]).length;
    const placed = await gateway.rest(signed(trader, 'do_my_new_order', order('list-cache-2', '1')));
    expect(placed.body.data).toMatchObject({ status: 'REJECTED' });
    const after = await gateway.rest(signed(trader, 'get_my_orders', { archived: true }));
    expect((after.body.data as unknown[]).length).toBe(before + 1);
  });

  it('a change by any other writer (another process, plain SQL) arrives through the trigger', async () => {
    expect((await gateway.rest(signed(trader, 'do_my_new_order', order('list-cache-3')))).status).toBe(200);
    expect(await listed('list-cache-3')).toMatchObject([{ comment: null }]);
    const other = otherWriter();
    try {
      await other.commentOrder('list-cache-3', 'from elsewhere');
    } finally {
      await other.close();
    }
    await vi.waitFor(async () => expect(await listed('list-cache-3')).toMatchObject([{ comment: 'from elsewhere' }]), {
      timeout: 2000,
    });
  });
});

function otherWriter() {
  if (handle.kind === 'pglite') {
    return {
      addToMainUsd: async (accountId: string, amount: number) => {
        await handle.db
          .update(balances)
          .set({ available: sql`${balances.available} + ${amount}` })
          .where(and(eq(balances.accountId, accountId), usdOfMain));
      },
      addToWalletUsd: async (accountId: string, amount: number) => {
        await handle.db.execute(
          sql`update wallet_balances set amount = amount + ${amount} where account_id = ${accountId} and currency = 'USD'`,
        );
      },
      commentOrder: async (clientOrderId: string, comment: string) => {
        await handle.db.execute(sql`update orders set comment = ${comment} where client_order_id = ${clientOrderId}`);
      },
      close: async () => {},
    };
  }
  const client = postgres(databaseUrl(), { max: 1, onnotice: () => {} });
  return {
    addToMainUsd: async (accountId: string, amount: number) => {
      await client`update balances set available = available + ${amount} where account_id = ${accountId} and sub_account = '' and currency = 'USD'`;
    },
    addToWalletUsd: async (accountId: string, amount: number) => {
      await client`update wallet_balances set amount = amount + ${amount} where account_id = ${accountId} and currency = 'USD'`;
    },
    commentOrder: async (clientOrderId: string, comment: string) => {
      await client`update orders set comment = ${comment} where client_order_id = ${clientOrderId}`;
    },
    close: () => client.end(),
  };
}

function databaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${handle.name}`;
  return url.toString();
}

async function killListenConnection(): Promise<void> {
  const admin = postgres(databaseUrl(), { max: 1, onnotice: () => {} });
  try {
    const killed =
      await admin`select pg_terminate_backend(pid) as done from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen %'`;
    expect(killed.length).toBe(1);
  } finally {
    await admin.end();
  }
}
