import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from './console-schema';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

// The ledger the API keys operate on (see lib/ledger/). Amounts are exact decimals.

const amount = (name: string) => numeric(name, { precision: 38, scale: 18 });

/** Per account, per sub-account ('' is the main account), per currency. */
export const balances = pgTable(
  'balances',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    subAccount: text('sub_account').notNull().default(''),
    currency: text('currency').notNull(),
    available: amount('available').notNull().default('0'),
    onHold: amount('on_hold').notNull().default('0'),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.subAccount, t.currency] }),
    check('balances_non_negative', sql`${t.available} >= 0 and ${t.onHold} >= 0`),
  ],
);

/** The account's wallet, outside the trading sub-accounts. */
export const walletBalances = pgTable(
  'wallet_balances',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    currency: text('currency').notNull(),
    amount: amount('amount').notNull().default('0'),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.currency] }), check('wallet_non_negative', sql`${t.amount} >= 0`)],
);

export const orderSide = pgEnum('order_side', ['BUY', 'SELL']);
export const orderType = pgEnum('order_type', ['Market', 'Limit', 'StopLimit']);
export const orderStatus = pgEnum('order_status', ['NEW', 'FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED']);

export const orders = pgTable(
  'orders',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    subAccount: text('sub_account').notNull(),
    apiKeyId: uuid('api_key_id'),
    clientOrderId: text('client_order_id').notNull(),
    currency1: text('currency1').notNull(),
    currency2: text('currency2').notNull(),
    side: orderSide('side').notNull(),
    type: orderType('type').notNull(),
    status: orderStatus('status').notNull(),
    amountCcy1: amount('amount_ccy1'),
    amountCcy2: amount('amount_ccy2'),
    price: amount('price'),
    // GTC, IOC, FOK or GTD; a GTD order rests until expire_time, then lib/ledger/expiry.ts expires it.
    timeInForce: text('time_in_force', { enum: ['GTC', 'IOC', 'FOK', 'GTD'] })
      .notNull()
      .default('GTC'),
    expireTime: timestamp('expire_time', { withTimezone: true }),
    stopPrice: amount('stop_price'),
    comment: text('comment'),
    executedCcy1: amount('executed_ccy1').notNull().default('0'),
    executedCcy2: amount('executed_ccy2').notNull().default('0'),
    averagePrice: amount('average_price'),
    heldCurrency: text('held_currency'),
    heldAmount: amount('held_amount').notNull().default('0'),
    // Why a REJECTED order was refused (lib/ledger/orders.ts REJECT_CODES); null otherwise.
    rejectCode: integer('reject_code'),
    rejectReason: text('reject_reason'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_client_id_uq').on(t.accountId, t.clientOrderId),
    index('orders_account_status_idx').on(t.accountId, t.status, t.createdAt),
    // The public trade tape (get_trade_history, get_candles, get_ticker) reads every account's fills of a pair.
    index('orders_pair_fills_idx')
      .on(t.currency1, t.currency2, t.updatedAt)
      .where(sql`${t.executedCcy1} > 0`),
    index('orders_expiry_idx')
      .on(t.expireTime)
      .where(sql`${t.status} = 'NEW' AND ${t.expireTime} IS NOT NULL`),
  ],
);

/** Every balance movement, one row per account and currency touched. */
export const transactions = pgTable(
  'transactions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    subAccount: text('sub_account').notNull(),
    type: text('type', { enum: ['trade', 'commission', 'internalTransfer', 'walletDeposit', 'walletWithdrawal', 'withdrawal'] }).notNull(),
    currency: text('currency').notNull(),
    amount: amount('amount').notNull(),
    orderId: bigint('order_id', { mode: 'number' }),
    clientTxId: text('client_tx_id'),
    details: text('details'),
    createdAt: createdAt(),
  },
  (t) => [index('transactions_account_idx').on(t.accountId, t.createdAt), index('transactions_order_idx').on(t.accountId, t.orderId)],
);

/** Wallet transfers and external withdrawals; `client_tx_id` makes retries idempotent. */
export const fundings = pgTable(
  'fundings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    subAccount: text('sub_account').notNull(),
    type: text('type', { enum: ['internalTransfer', 'walletDeposit', 'walletWithdrawal', 'withdrawal'] }).notNull(),
    currency: text('currency').notNull(),
    amount: amount('amount').notNull(),
    counterparty: text('counterparty'),
    status: text('status', { enum: ['approved', 'pending'] }).notNull(),
    clientTxId: text('client_tx_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('fundings_client_tx_uq').on(t.accountId, t.clientTxId), index('fundings_account_idx').on(t.accountId, t.createdAt)],
);

/** Per-key request counts per minute, shared by every app process (see lib/api/rate-limit.ts). */
export const apiRateWindows = pgTable(
  'api_rate_windows',
  {
    apiKeyId: uuid('api_key_id').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    used: integer('used').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.windowStart] })],
);

/** Signatures of mutating requests seen inside the timestamp window, with their answers: a second one is a retry. */
export const apiReplayGuard = pgTable(
  'api_replay_guard',
  {
    signature: text('signature').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    // The first request's answer, served again to a byte-identical retry; null while it runs.
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
  },
  (t) => [index('api_replay_expires_idx').on(t.expiresAt)],
);
