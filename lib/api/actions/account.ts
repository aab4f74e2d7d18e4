import { z } from 'zod';
import { andThen } from '@/lib/platform/awaitable';
import { balanceCache, type AccountBalances } from '@/lib/ledger/balance-cache';
import { formatAmount, type SubAccountBalances } from '@/lib/ledger/balances';
import { usdRate } from '@/lib/ledger/history';
import { defineAction } from '@/lib/api/action';
import { currencyParam } from '@/lib/api/params';

// Per cached balances object (replaced whenever a balance changes): the conversion is done once.
const converted = new WeakMap<
  SubAccountBalances,
  Record<string, SubAccountBalances[string] & { balanceInConvertedCurrency: string | null }>
>();

const statusAnswers = new WeakMap<AccountBalances, object>();

/** A sub-account's balances with their USD value, optionally only some currencies. */
function inUsd(balances: SubAccountBalances, currencies?: string[]) {
  let all = converted.get(balances);
  if (!all) {
    all = Object.fromEntries(
      Object.entries(balances).map(([currency, b]) => {
        const rate = usdRate(currency);
        return [currency, { ...b, balanceInConvertedCurrency: rate ? formatAmount(rate.times(b.balance).toFixed(), 'USD') : null }];
      }),
    );
    converted.set(balances, all);
  }
  return onlyCurrencies(all, currencies);
}

/** The `currencies` filter of the account status actions (all of them without one). */
function onlyCurrencies<T>(byCurrency: Record<string, T>, currencies?: readonly string[]): Record<string, T> {
  return currencies ? Object.fromEntries(Object.entries(byCurrency).filter(([currency]) => currencies.includes(currency))) : byCurrency;
}

const statusParams = z.object({
  accountIds: z.array(z.string().max(64)).max(100).optional(),
  currencies: z.array(currencyParam).max(100).optional(),
});

export const accountActions = [
  defineAction({
    name: 'get_my_account_status_v3',
    permission: 'read',
    mutating: false,
    params: statusParams,
    summary:
      'Balances of the main account ("") and every sub-account, per currency, with their value in USD at the demo book\'s mid prices; filter by accountIds and currencies.',
    exampleParams: {},
    exampleResponse: {
      convertedCurrency: 'USD',
      balancesPerAccounts: {
        '': {
          BTC: { balance: '1.50000000', balanceOnHold: '0.00000000', balanceInConvertedCurrency: '90000.00' },
          USD: { balance: '250000.00', balanceOnHold: '0.00', balanceInConvertedCurrency: '250000.00' },
        },
      },
    },
    // From memory without a promise while the balances are unchanged: the call bots poll most.
    handler: ({ db, accountId }, { accountIds, currencies }) =>
      andThen(balanceCache().read(db, accountId, accountIds), (balances) => {
        // The unfiltered answer is built once per cached balances object.
        const whole = !accountIds?.length && !currencies;
        const cached = whole ? statusAnswers.get(balances) : undefined;
        if (cached) return cached;
        const answer = {
          convertedCurrency: 'USD',
          balancesPerAccounts: Object.fromEntries(Object.entries(balances).map(([sub, held]) => [sub, inUsd(held, currencies)])),
        };
        if (whole) statusAnswers.set(balances, Object.freeze(answer));
        return answer;
      }),
  }),
  defineAction({
    name: 'get_my_account_status_v2',
    permission: 'read',
    mutating: false,
    params: statusParams,
    summary: 'The earlier version of get_my_account_status_v3: the same balances and filters, without their USD value.',
    exampleParams: {},
    exampleResponse: {
      balancesPerAccounts: {
        '': { BTC: { balance: '1.50000000', balanceOnHold: '0.00000000' }, USD: { balance: '250000.00', balanceOnHold: '0.00' } },
      },
    },
    handler: ({ db, accountId }, { accountIds, currencies }) =>
      andThen(balanceCache().read(db, accountId, accountIds), (balances) => ({
        balancesPerAccounts: Object.fromEntries(Object.entries(balances).map(([sub, held]) => [sub, onlyCurrencies(held, currencies)])),
      })),
  }),
  defineAction({
    name: 'get_my_wallet_balance',
    permission: 'read',
    mutating: false,
    params: z.object({ currency: z.string().max(10).optional() }),
    summary: "Balances of the account's wallet (outside the trading sub-accounts).",
    exampleParams: {},
    exampleResponse: { BTC: { balance: '2.00000000' }, USD: { balance: '100000.00' } },
    handler: ({ db, accountId }, { currency }) =>
      andThen(balanceCache().readWallet(db, accountId), (all) =>
        currency ? Object.fromEntries(Object.entries(all).filter(([c]) => c === currency)) : all,
      ),
  }),
];
