import type { Permission } from '@/lib/keys/permissions';
import { API_ACTIONS } from './registry';

/**
 * How each action compares with CEX.IO Prime Liquidity's, for bots moving over: null means the
 * same name, parameters and answer; a string says what differs. One entry per registered action
 * (a test keeps the two lists equal), and any CEX.IO action Keydesk does not offer yet.
 */
const DIFFERENCES: Record<string, string | null> = {
  get_server_time: null,
  get_pairs_info: null,
  get_currencies_info: 'blockchains is a list of names; get_processing_info has the per-blockchain details.',
  get_order_book: 'A fixed demo book, five levels each side.',
  get_demo_order_book: 'The demo book of BTC-USD unless a pair is given.',
  get_ticker: 'Best bid and ask from the demo book; volumes, high, low and last trade from the platform’s own trades of the last 24 hours.',
  get_trade_history: 'The platform’s own trades (fills of Market and IOC/FOK orders).',
  get_candles:
    'The demo book does not move: open, high, low and close are its current best bid or ask; volume is the platform’s traded volume.',
  get_my_account_status_v3: null,
  get_my_account_status_v2: null,
  get_my_wallet_balance: null,
  get_deposit_address: 'Demo addresses: nothing arrives on them.',
  get_processing_info: 'Withdrawal fees are 0: nothing is sent on a blockchain.',
  do_my_internal_transfer: null,
  do_deposit_funds_from_wallet: null,
  do_withdrawal_funds_to_wallet: null,
  do_my_external_withdrawal: 'Recorded as pending; nothing is sent on a blockchain.',
  get_my_transaction_history: 'pageNumber counts from 1.',
  get_my_funding_history: null,
  get_my_orders: null,
  do_my_new_order:
    'Resting orders (Limit GTC/GTD, StopLimit) are not matched: the demo book is a quote, so they rest until cancelled or expired, and a StopLimit never triggers. Limit IOC/FOK and Market orders fill against the book at once. rejectCode numbers are Keydesk’s (1 funds, 2 amount or price out of range, 3 liquidity).',
  do_cancel_my_order: null,
  do_cancel_all_orders: null,
  get_my_trading_conditions: 'Demo fees.',
  get_my_current_fee: 'Demo fees.',
  get_fee_strategy: 'Keydesk’s shape: one tier table (volume in USD over 30 days → taker and maker fee).',
  get_my_volume: 'Valued at the demo book’s mid prices.',
};

/** CEX.IO actions a bot may call that answer 400 Unknown action here (none left; kept for the next). */
export const NOT_OFFERED: readonly string[] = [];

export interface CompatibilityRow {
  name: string;
  permission: Permission | null | 'not offered';
  difference: string | null;
}

export function compatibilityRows(): CompatibilityRow[] {
  return [
    ...API_ACTIONS.map((a) => ({ name: a.name, permission: a.permission, difference: DIFFERENCES[a.name] ?? null })),
    ...NOT_OFFERED.map((name) => ({
      name,
      permission: 'not offered' as const,
      difference: 'Not offered yet: answers 400 Unknown action.',
    })),
  ];
}

/** For the test that keeps this table complete. */
export const documentedActions = () => Object.keys(DIFFERENCES);
