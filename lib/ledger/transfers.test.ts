import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fundings, transactions } from '@/db/schema';
import { depositAddress, isValidAddress } from './addresses';
import type { LedgerContext } from './orders';
import { accountIdOf, balanceOf, openLedgerTestDb, refusal, trim, walletOf, type LedgerTestDb } from '@/test/support/ledger';
import { MAX_SUB_ACCOUNTS, depositFromWallet, externalWithdrawal, internalTransfer, withdrawToWallet } from './transfers';

let t: LedgerTestDb;
let ctx: LedgerContext;
let seq = 0;
const id = (prefix: string) => `${prefix}-${++seq}`;

beforeAll(async () => {
  t = await openLedgerTestDb();
  ctx = { accountId: await accountIdOf(t.db, 'Atlas Capital'), apiKeyId: null, now: new Date() };
});
afterAll(() => t.close());

const logOf = (sub: string) =>
  t.db
    .select()
    .from(transactions)
    .where(and(eq(transactions.accountId, ctx.accountId), eq(transactions.subAccount, sub)));
const fundingRow = (clientTxId: string) =>
  t.db
    .select()
    .from(fundings)
    .where(and(eq(fundings.accountId, ctx.accountId), eq(fundings.clientTxId, clientTxId)));

describe('internal transfers', () => {
  it('the first transfer to a new id creates the sub-account; one funding row, two log rows, two events', async () => {
    const sub = id('desk');
    const before = await balanceOf(t.db, ctx.accountId, '', 'USD');
    const { funding, duplicate } = await internalTransfer(t.db, ctx, {
      subAccount: '',
      toSubAccount: sub,
      currency: 'USD',
      amount: '100.5',
      clientTxId: id('tx'),
    });
    expect(duplicate).toBe(false);
    expect(funding).toMatchObject({ type: 'internalTransfer', subAccount: '', counterparty: sub, status: 'approved' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '100.5', onHold: '0' });
    expect(Number((await balanceOf(t.db, ctx.accountId, '', 'USD')).available)).toBe(Number(before.available) - 100.5);
    expect((await logOf(sub)).map((r) => [r.type, trim(r.amount)])).toEqual([['internalTransfer', '100.5']]);
    await vi.waitFor(() =>
      expect(
        t.events
          .filter((e) => e.e === 'account_update' && (e.data.accountId === sub || e.data.accountId === '') && e.data.currency === 'USD')
          .slice(-2)
          .map((e) => e.data.accountId),
      ).toEqual(expect.arrayContaining(['', sub])),
    );
  });

  it('refuses more than the source holds, the same account twice, unknown currencies and dust', async () => {
    const sub = id('desk');
    await internalTransfer(t.db, ctx, { subAccount: '', toSubAccount: sub, currency: 'USD', amount: '10', clientTxId: id('tx') });
    const txId = id('tx');
    expect(
      (
        await refusal(
          internalTransfer(t.db, ctx, { subAccount: sub, toSubAccount: '', currency: 'USD', amount: '10.01', clientTxId: txId }),
        )
      ).message,
    ).toBe('Insufficient funds');
    expect(await fundingRow(txId)).toEqual([]);
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '10', onHold: '0' });
    expect(
      (
        await refusal(
          internalTransfer(t.db, ctx, { subAccount: sub, toSubAccount: sub, currency: 'USD', amount: '1', clientTxId: id('tx') }),
        )
      ).code,
    ).toBe('invalid');
    expect(
      (
        await refusal(
          internalTransfer(t.db, ctx, { subAccount: '', toSubAccount: sub, currency: 'DOGE', amount: '1', clientTxId: id('tx') }),
        )
      ).message,
    ).toMatch(/unknown currency/);
    expect(
      (
        await refusal(
          internalTransfer(t.db, ctx, { subAccount: '', toSubAccount: sub, currency: 'USD', amount: '0.001', clientTxId: id('tx') }),
        )
      ).message,
    ).toBe('amount: at most 2 decimals for USD');
  });

  it('a transfer from a sub-account that does not exist is refused, and does not create it', async () => {
    const ghost = id('ghost');
    expect(
      (
        await refusal(
          internalTransfer(t.db, ctx, { subAccount: ghost, toSubAccount: '', currency: 'USD', amount: '1', clientTxId: id('tx') }),
        )
      ).message,
    ).toBe('Insufficient funds');
    expect(await logOf(ghost)).toEqual([]);
  });

  it('the same clientTxId again returns the original transfer and moves nothing, also concurrently', async () => {
    const sub = id('desk');
    const move = { subAccount: '', toSubAccount: sub, currency: 'USD', amount: '50', clientTxId: id('tx') };
    const first = await internalTransfer(t.db, ctx, move);
    const again = await internalTransfer(t.db, ctx, move);
    expect([again.duplicate, again.funding.id]).toEqual([true, first.funding.id]);
    const raced = { ...move, clientTxId: id('tx') };
    const results = await Promise.all([
      internalTransfer(t.db, ctx, raced),
      internalTransfer(t.db, ctx, raced),
      internalTransfer(t.db, ctx, raced),
    ]);
    expect(new Set(results.map((r) => r.funding.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '100', onHold: '0' });
  });

  it('a clientTxId used for another kind of funding is refused (409)', async () => {
    const clientTxId = id('tx');
    await depositFromWallet(t.db, ctx, { subAccount: id('desk'), currency: 'USD', amount: '1', clientTxId });
    expect(
      (await refusal(internalTransfer(t.db, ctx, { subAccount: '', toSubAccount: id('desk'), currency: 'USD', amount: '1', clientTxId })))
        .code,
    ).toBe('conflict');
  });

  it('concurrent transfers never overdraw the source', async () => {
    const sub = id('desk');
    await internalTransfer(t.db, ctx, { subAccount: '', toSubAccount: sub, currency: 'USD', amount: '200', clientTxId: id('tx') });
    const attempts = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        internalTransfer(t.db, ctx, { subAccount: sub, toSubAccount: '', currency: 'USD', amount: '60', clientTxId: id('tx') }),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(3);
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '20', onHold: '0' });
  });

  it(`refuses to create sub-account number ${MAX_SUB_ACCOUNTS + 1}`, async () => {
    const other = { ...ctx, accountId: await accountIdOf(t.db, 'Cobalt Trading') };
    for (let i = 1; i < MAX_SUB_ACCOUNTS; i++)
      await internalTransfer(t.db, other, {
        subAccount: '',
        toSubAccount: `s${i}`,
        currency: 'USD',
        amount: '1',
        clientTxId: `limit-${i}`,
      });
    const error = await refusal(
      internalTransfer(t.db, other, {
        subAccount: '',
        toSubAccount: 'one-too-many',
        currency: 'USD',
        amount: '1',
        clientTxId: 'limit-last',
      }),
    );
    expect(error.message).toBe(`Sub-account limit of ${MAX_SUB_ACCOUNTS} reached`);
    // Existing sub-accounts still receive funds.
    await internalTransfer(t.db, other, {
      subAccount: '',
      toSubAccount: 's1',
      currency: 'BTC',
      amount: '0.1',
      clientTxId: 'limit-existing',
    });
  });
});

describe('wallet transfers', () => {
  it('a deposit from the wallet moves funds into a sub-account', async () => {
    const sub = id('desk');
    const wallet = Number(await walletOf(t.db, ctx.accountId, 'BTC'));
    const { funding } = await depositFromWallet(t.db, ctx, { subAccount: sub, currency: 'BTC', amount: '0.1', clientTxId: id('tx') });
    expect(funding).toMatchObject({ type: 'walletDeposit', status: 'approved', subAccount: sub });
    expect(Number(await walletOf(t.db, ctx.accountId, 'BTC'))).toBeCloseTo(wallet - 0.1, 12);
    expect(await balanceOf(t.db, ctx.accountId, sub, 'BTC')).toEqual({ available: '0.1', onHold: '0' });
    expect((await logOf(sub)).map((r) => [r.type, trim(r.amount)])).toEqual([['walletDeposit', '0.1']]);
  });

  it('a deposit larger than the wallet, or of a currency the wallet lacks, changes nothing', async () => {
    const sub = id('desk');
    expect(
      (await refusal(depositFromWallet(t.db, ctx, { subAccount: sub, currency: 'BTC', amount: '1000', clientTxId: id('tx') }))).message,
    ).toBe('Insufficient funds in the wallet');
    expect(
      (await refusal(depositFromWallet(t.db, ctx, { subAccount: sub, currency: 'EUR', amount: '1', clientTxId: id('tx') }))).message,
    ).toBe('Insufficient funds in the wallet');
    expect(await balanceOf(t.db, ctx.accountId, sub, 'BTC')).toEqual({ available: '0', onHold: '0' });
  });

  it('a withdrawal to the wallet moves funds out of a sub-account, never below zero', async () => {
    const wallet = Number(await walletOf(t.db, ctx.accountId, 'ETH'));
    const main = Number((await balanceOf(t.db, ctx.accountId, '', 'ETH')).available);
    await withdrawToWallet(t.db, ctx, { subAccount: '', currency: 'ETH', amount: '1.25', clientTxId: id('tx') });
    expect(Number(await walletOf(t.db, ctx.accountId, 'ETH'))).toBeCloseTo(wallet + 1.25, 12);
    expect(Number((await balanceOf(t.db, ctx.accountId, '', 'ETH')).available)).toBeCloseTo(main - 1.25, 12);
    expect(
      (await refusal(withdrawToWallet(t.db, ctx, { subAccount: '', currency: 'ETH', amount: '100000', clientTxId: id('tx') }))).message,
    ).toBe('Insufficient funds');
  });
});

describe('external withdrawals', () => {
  const tron = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';

  it('debits the sub-account and records a pending withdrawal', async () => {
    const sub = id('desk');
    await internalTransfer(t.db, ctx, { subAccount: '', toSubAccount: sub, currency: 'USDT', amount: '100', clientTxId: id('tx') });
    const clientTxId = id('wd');
    const { funding } = await externalWithdrawal(t.db, ctx, {
      subAccount: sub,
      currency: 'USDT',
      blockchain: 'tron',
      address: tron,
      amount: '25',
      clientTxId,
    });
    expect(funding).toMatchObject({ type: 'withdrawal', status: 'pending', counterparty: `tron:${tron}` });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USDT')).toEqual({ available: '75', onHold: '0' });
    expect((await logOf(sub)).filter((r) => r.type === 'withdrawal').map((r) => trim(r.amount))).toEqual(['-25']);
    const again = await externalWithdrawal(t.db, ctx, {
      subAccount: sub,
      currency: 'USDT',
      blockchain: 'tron',
      address: tron,
      amount: '25',
      clientTxId,
    });
    expect(again.duplicate).toBe(true);
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USDT')).toEqual({ available: '75', onHold: '0' });
  });

  it('validates currency, blockchain, minimum, address and funds', async () => {
    const base = { subAccount: '', clientTxId: 'x', amount: '1' };
    const message = async (m: Parameters<typeof externalWithdrawal>[2]) =>
      (await refusal(externalWithdrawal(t.db, ctx, { ...m, clientTxId: id('wd') }))).message;
    expect(await message({ ...base, currency: 'USD', address: tron })).toBe('currency: USD is not a crypto currency');
    expect(await message({ ...base, currency: 'USDT', amount: '20', address: tron })).toBe(
      'blockchain: required for USDT (ethereum, tron)',
    );
    expect(await message({ ...base, currency: 'USDT', amount: '20', blockchain: 'solana', address: tron })).toMatch(
      /not available on 'solana'/,
    );
    expect(await message({ ...base, currency: 'USDT', amount: '5', blockchain: 'tron', address: tron })).toBe(
      'amount: the minimum withdrawal is 10 USDT',
    );
    expect(await message({ ...base, currency: 'BTC', amount: '0.001', address: tron })).toBe('address: not a valid bitcoin address');
    expect(await message({ ...base, currency: 'ETH', amount: '1000', address: `0x${'ab'.repeat(20)}` })).toBe('Insufficient funds');
  });
});

describe('deposit addresses', () => {
  it('are stable per account, sub-account, currency and chain, and shaped like the real kind', () => {
    const a = depositAddress('acct-1', '', 'USDT', 'tron');
    expect(depositAddress('acct-1', '', 'USDT', 'tron')).toBe(a);
    expect(depositAddress('acct-1', 'bot', 'USDT', 'tron')).not.toBe(a);
    expect(depositAddress('acct-2', '', 'USDT', 'tron')).not.toBe(a);
    expect(isValidAddress('tron', a)).toBe(true);
    expect(isValidAddress('ethereum', depositAddress('acct-1', '', 'USDT', 'ethereum'))).toBe(true);
    expect(isValidAddress('bitcoin', depositAddress('acct-1', '', 'BTC', 'bitcoin'))).toBe(true);
  });
});
