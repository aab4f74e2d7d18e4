import type { Permission } from '@/lib/keys/permissions';
import { API_ACTIONS } from './registry';

/**
 * How each action compares with CEX.IO Prime Liquidity's, for bots moving over: null means the
 * same name, parameters and answer; a string says what differs. One entry per registered action
 * (a test keeps the two lists equal), and the CEX.IO actions Keydesk does not offer yet.
 */
const DIFFERENCES: Record<string, string | null> = {
  get_server_time: null,
  get_pairs_info: 'Limits and price precision only; volume, baseLotSize, quoteMin, minPrice and maxPrice are not returned yet.',
  get_currencies_info:
    'Precision, blockchains and withdrawal minimum; walletDeposit, walletWithdrawal, fiat and walletPrecision are not returned yet.',
  get_order_book: 'A fixed demo book, five levels each side.',
  get_demo_order_book: 'The demo book of BTC-USD unless a pair is given.',
  get_ticker: 'Derived from the demo book.',
  get_my_account_status_v3: null,
  get_my_wallet_balance: null,
  get_deposit_address: 'Demo addresses: nothing arrives on them.',
  do_my_internal_transfer: null,
  do_deposit_funds_from_wallet: null,
  do_withdrawal_funds_to_wallet: null,
  do_my_external_withdrawal: 'Recorded as pending; nothing is sent on a blockchain.',
  get_my_transaction_history: 'pageNumber counts from 1.',
  get_my_funding_history: null,
  get_my_orders: null,
  do_my_new_order:
    'Market and Limit (GTC) orders only — IOC, FOK, GTD and StopLimit are refused; Limit orders rest (the demo book does not match them); rejectCode numbers are Keydesk’s (1 funds, 2 amount out of range, 3 liquidity).',
  do_cancel_my_order: null,
  do_cancel_all_orders: null,
  get_my_trading_conditions: 'Demo fees.',
  get_my_current_fee: 'Demo fees.',
  get_my_volume: 'Valued at the demo book’s mid prices.',
};

/** CEX.IO actions a bot may call that answer 400 Unknown action here. */
export const NOT_OFFERED = [
  'get_candles',
  'get_trade_history',
  'get_processing_info',
  'get_fee_strategy',
  'get_my_account_status_v2',
] as const;

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
