import { z } from 'zod';
import { balanceCache } from '@/lib/ledger/balance-cache';
import { walletBalancesOf } from '@/lib/ledger/balances';
import { defineAction } from '@/lib/api/action';

export const accountActions = [
  defineAction({
    name: 'get_my_account_status_v3',
    permission: 'read',
    mutating: false,
    params: z.object({ accountIds: z.array(z.string().max(64)).max(100).optional() }),
    summary: 'Balances of the main account ("") and every sub-account, per currency.',
    exampleParams: {},
    exampleResponse: {
      convertedCurrency: 'USD',
      balancesPerAccounts: {
        '': { BTC: { balance: '1.50000000', balanceOnHold: '0.00000000' }, USD: { balance: '250000.00', balanceOnHold: '0.00' } },
      },
    },
    handler: async ({ db, accountId }, { accountIds }) => ({
      convertedCurrency: 'USD',
      balancesPerAccounts: await balanceCache().read(db, accountId, accountIds),
    }),
  }),
  defineAction({
    name: 'get_my_wallet_balance',
    permission: 'read',
    mutating: false,
    params: z.object({ currency: z.string().max(10).optional() }),
    summary: "Balances of the account's wallet (outside the trading sub-accounts).",
    exampleParams: {},
    exampleResponse: { BTC: { balance: '2.00000000' }, USD: { balance: '100000.00' } },
    handler: async ({ db, accountId }, { currency }) => {
      const all = await walletBalancesOf(db, accountId);
      return currency ? Object.fromEntries(Object.entries(all).filter(([c]) => c === currency)) : all;
    },
  }),
];
