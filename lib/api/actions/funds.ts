import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { depositAddress, resolveBlockchain } from '@/lib/ledger/addresses';
import { formatAmount } from '@/lib/ledger/balances';
import { CURRENCIES, DEPOSIT_CONFIRMATIONS } from '@/lib/ledger/market';
import {
  depositFromWallet,
  externalWithdrawal,
  internalTransfer,
  withdrawToWallet,
  withdrawalTarget,
  type FundingRow,
} from '@/lib/ledger/transfers';
import { defineAction } from '@/lib/api/action';
import { amountParam, clientIdParam, currencyParam, subAccountParam } from '@/lib/api/params';

const isNativeCoin = (currency: string, chain: string) => ({ BTC: 'bitcoin', ETH: 'ethereum' })[currency] === chain;

const blockchainParam = z.string({ error: 'must be a string' }).max(32).optional();

/** The reply to a wallet transfer, as CEX.IO sends it (plus the amount and the ledger's id). */
const walletReply = (f: FundingRow) => ({
  accountId: f.subAccount,
  clientTxId: f.clientTxId,
  transactionId: String(f.id),
  currency: f.currency,
  amount: formatAmount(f.amount, f.currency),
  status: f.status,
});

const walletParams = z.object({
  clientTxId: clientIdParam.optional(),
  accountId: subAccountParam.default(''),
  currency: currencyParam,
  amount: amountParam,
});

export const fundsActions = [
  defineAction({
    name: 'get_processing_info',
    permission: 'read',
    mutating: false,
    params: z.object({ currencies: z.array(currencyParam).max(100).optional() }),
    summary:
      'Per crypto currency and blockchain: whether deposits and withdrawals are open, their minimums, the withdrawal fee and the confirmations a deposit waits for.',
    exampleParams: { currencies: ['BTC'] },
    exampleResponse: {
      BTC: {
        name: 'Bitcoin',
        blockchains: {
          bitcoin: {
            type: 'coin',
            deposit: 'enabled',
            minDeposit: '0.0001',
            withdrawal: 'enabled',
            minWithdrawal: '0.0005',
            withdrawalFee: '0',
            withdrawalFeePercent: '0',
            depositConfirmations: 2,
          },
        },
      },
    },
    handler: async (_ctx, { currencies }) =>
      Object.fromEntries(
        Object.entries(CURRENCIES)
          .filter(([currency, spec]) => spec.blockchains.length > 0 && (!currencies || (currencies as string[]).includes(currency)))
          .map(([currency, spec]) => [
            currency,
            {
              name: spec.name,
              blockchains: Object.fromEntries(
                spec.blockchains.map((chain) => [
                  chain,
                  {
                    // A currency native to its chain is a coin; one issued on another chain's contracts, a token.
                    type: isNativeCoin(currency, chain) ? 'coin' : 'token',
                    deposit: 'enabled',
                    minDeposit: spec.minDeposit,
                    withdrawal: 'enabled',
                    minWithdrawal: spec.minWithdrawal,
                    // The demo sends nothing on a blockchain, so it charges nothing for it.
                    withdrawalFee: '0',
                    withdrawalFeePercent: '0',
                    depositConfirmations: DEPOSIT_CONFIRMATIONS[chain],
                  },
                ]),
              ),
            },
          ]),
      ),
  }),
  defineAction({
    name: 'get_deposit_address',
    permission: 'read',
    mutating: false,
    params: z.object({ accountId: subAccountParam.default(''), currency: currencyParam, blockchain: blockchainParam }),
    summary:
      'The crypto deposit address of a sub-account for a currency and blockchain (a stable demo address; nothing sent to it arrives).',
    exampleParams: { accountId: '', currency: 'BTC', blockchain: 'bitcoin' },
    exampleResponse: { address: 'bc1qk2v7x0w3h8n5c6j9y4t2p0s8d7f6g5h4j3k2l0', accountId: '', currency: 'BTC', blockchain: 'bitcoin' },
    handler: async ({ accountId }, p) => {
      const blockchain = resolveBlockchain(p.currency, p.blockchain);
      return {
        address: depositAddress(accountId, p.accountId, p.currency, blockchain),
        accountId: p.accountId,
        currency: p.currency,
        blockchain,
      };
    },
  }),
  defineAction({
    name: 'do_my_internal_transfer',
    permission: 'funds_internal',
    mutating: true,
    params: z.object({
      clientTxId: clientIdParam.optional(),
      fromAccountId: subAccountParam,
      toAccountId: subAccountParam,
      currency: currencyParam,
      amount: amountParam,
    }),
    summary:
      'Moves funds between the main account ("") and sub-accounts; the first transfer to a new sub-account id creates it. The same clientTxId again returns the original transfer.',
    exampleParams: { clientTxId: 'demo-transfer-1', fromAccountId: '', toAccountId: 'bot-1', currency: 'USD', amount: '100' },
    exampleResponse: {
      transactionId: '3',
      clientTxId: 'demo-transfer-1',
      fromAccountId: '',
      toAccountId: 'bot-1',
      currency: 'USD',
      amount: '100.00',
      status: 'approved',
    },
    handler: async ({ db, accountId, apiKeyId, now }, p) => {
      const { funding: f } = await internalTransfer(
        db,
        { accountId, apiKeyId, now },
        {
          subAccount: p.fromAccountId,
          toSubAccount: p.toAccountId,
          currency: p.currency,
          amount: p.amount,
          clientTxId: p.clientTxId ?? randomUUID(),
        },
      );
      return {
        transactionId: String(f.id),
        clientTxId: f.clientTxId,
        fromAccountId: f.subAccount,
        toAccountId: f.counterparty,
        currency: f.currency,
        amount: formatAmount(f.amount, f.currency),
        status: f.status,
      };
    },
  }),
  defineAction({
    name: 'do_deposit_funds_from_wallet',
    permission: 'funds_wallet',
    mutating: true,
    params: walletParams,
    summary: "Moves funds from the account's wallet into a sub-account (creating it on first use).",
    exampleParams: { clientTxId: 'demo-wallet-in-1', accountId: 'bot-1', currency: 'BTC', amount: '0.1' },
    exampleResponse: {
      accountId: 'bot-1',
      clientTxId: 'demo-wallet-in-1',
      transactionId: '4',
      currency: 'BTC',
      amount: '0.10000000',
      status: 'approved',
    },
    handler: async ({ db, accountId, apiKeyId, now }, p) => {
      const { funding } = await depositFromWallet(
        db,
        { accountId, apiKeyId, now },
        { subAccount: p.accountId, currency: p.currency, amount: p.amount, clientTxId: p.clientTxId ?? randomUUID() },
      );
      return walletReply(funding);
    },
  }),
  defineAction({
    name: 'do_withdrawal_funds_to_wallet',
    permission: 'funds_wallet',
    mutating: true,
    params: walletParams,
    summary: "Moves funds from a sub-account (or the main account) back to the account's wallet.",
    exampleParams: { clientTxId: 'demo-wallet-out-1', accountId: '', currency: 'BTC', amount: '0.1' },
    exampleResponse: {
      accountId: '',
      clientTxId: 'demo-wallet-out-1',
      transactionId: '5',
      currency: 'BTC',
      amount: '0.10000000',
      status: 'approved',
    },
    handler: async ({ db, accountId, apiKeyId, now }, p) => {
      const { funding } = await withdrawToWallet(
        db,
        { accountId, apiKeyId, now },
        { subAccount: p.accountId, currency: p.currency, amount: p.amount, clientTxId: p.clientTxId ?? randomUUID() },
      );
      return walletReply(funding);
    },
  }),
  defineAction({
    name: 'do_my_external_withdrawal',
    permission: 'funds_external',
    mutating: true,
    params: z.object({
      clientTxId: clientIdParam.optional(),
      accountId: subAccountParam.default(''),
      currency: currencyParam,
      blockchain: blockchainParam,
      address: z.string({ error: 'must be a string' }).min(1).max(128),
      amount: amountParam,
    }),
    summary:
      'Withdraws crypto to an external address. The amount leaves the sub-account at once and the withdrawal is recorded as pending (the demo sends nothing on-chain).',
    exampleParams: {
      clientTxId: 'demo-withdrawal-1',
      accountId: '',
      currency: 'USDT',
      blockchain: 'tron',
      address: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
      amount: '25',
    },
    exampleResponse: {
      transactionId: '6',
      clientTxId: 'demo-withdrawal-1',
      accountId: '',
      currency: 'USDT',
      blockchain: 'tron',
      address: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
      amount: '25.000000',
      status: 'pending',
    },
    handler: async ({ db, accountId, apiKeyId, now }, p) => {
      const { funding: f } = await externalWithdrawal(
        db,
        { accountId, apiKeyId, now },
        {
          subAccount: p.accountId,
          currency: p.currency,
          blockchain: p.blockchain,
          address: p.address,
          amount: p.amount,
          clientTxId: p.clientTxId ?? randomUUID(),
        },
      );
      return {
        transactionId: String(f.id),
        clientTxId: f.clientTxId,
        accountId: f.subAccount,
        currency: f.currency,
        ...withdrawalTarget(f),
        amount: formatAmount(f.amount, f.currency),
        status: f.status,
      };
    },
  }),
];
