import { z } from 'zod';
import { fundings, transactions } from '@/db/schema';
import { fundingHistory, transactionHistory } from '@/lib/ledger/history';
import { defineAction } from '@/lib/api/action';
import { historyParams } from '@/lib/api/params';

type TransactionType = (typeof transactions.type.enumValues)[number];

/** A type filter as the API takes it, CEX.IO's group names (deposit, withdraw) included. */
function transactionTypes(type: TransactionType | 'deposit' | 'withdraw'): TransactionType[] {
  if (type === 'deposit') return ['walletDeposit'];
  if (type === 'withdraw') return ['walletWithdrawal', 'withdrawal'];
  return [type];
}

export const historyActions = [
  defineAction({
    name: 'get_my_transaction_history',
    permission: 'read',
    mutating: false,
    params: z.object({ ...historyParams, type: z.enum([...transactions.type.enumValues, 'deposit', 'withdraw']).optional() }),
    summary:
      "Every balance movement (trade, commission, internalTransfer, walletDeposit, walletWithdrawal, withdrawal), newest first; filter by accountId, currency, type (those, or CEX.IO's deposit = walletDeposit and withdraw = walletWithdrawal + withdrawal), dateFrom/dateTo (ms or ISO 8601); pageSize ≤ 1000 (default 100), pageNumber from 1, sortOrder ASC|DESC.",
    exampleParams: { currency: 'BTC', pageSize: 10 },
    exampleResponse: [
      {
        transactionId: '42',
        timestamp: '2024-11-25T02:00:00.123Z',
        accountId: '',
        type: 'trade',
        amount: '0.01000000',
        details: 'BUY 0.01 BTC-USD at 60030 (order 16)',
        currency: 'BTC',
        orderId: '16',
        clientTxId: null,
      },
      {
        transactionId: '43',
        timestamp: '2024-11-25T02:00:00.123Z',
        accountId: '',
        type: 'commission',
        amount: '-0.00002500',
        details: 'BUY 0.01 BTC-USD at 60030 (order 16)',
        currency: 'BTC',
        orderId: '16',
        clientTxId: null,
      },
    ],
    handler: async ({ db, accountId }, { type, ...p }) =>
      transactionHistory(db, accountId, { ...p, subAccount: p.accountId, types: type ? transactionTypes(type) : undefined }),
  }),
  defineAction({
    name: 'get_my_funding_history',
    permission: 'read',
    mutating: false,
    params: z.object({
      ...historyParams,
      type: z.enum(fundings.type.enumValues).optional(),
      direction: z.enum(['deposit', 'withdraw']).optional(),
    }),
    summary:
      'Transfers between sub-accounts, wallet deposits and withdrawals and external withdrawals (with their status), newest first; the same filters as get_my_transaction_history, and direction (deposit or withdraw). With accountId, an internal transfer into that sub-account shows as a deposit.',
    exampleParams: { pageSize: 10 },
    exampleResponse: [
      {
        txId: '6',
        clientTxId: 'demo-withdrawal-1',
        clientId: '6f1c2a4e-0000-4000-8000-000000000001',
        accountId: '',
        type: 'withdrawal',
        direction: 'withdraw',
        currency: 'USDT',
        amount: '25.000000',
        commissionAmount: '0.000000',
        status: 'pending',
        blockchain: 'tron',
        address: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
        createdAt: '2024-11-25T02:00:00.123Z',
        updatedAt: '2024-11-25T02:00:00.123Z',
      },
    ],
    handler: async ({ db, accountId }, p) => fundingHistory(db, accountId, { ...p, subAccount: p.accountId }),
  }),
];
