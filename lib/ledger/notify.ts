import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { balances } from '@/db/schema';
import { notifyAccountEvent, type AccountEvent } from '@/lib/platform/events';
import { formatAmount } from './balances';

/** What changed the balance, as account_update names it: the kind of move and its order or funding id. */
export interface BalanceCause {
  action: 'trade' | 'orderHold' | 'orderCancel' | 'orderExpire' | 'internalTransfer' | 'walletDeposit' | 'walletWithdrawal' | 'withdrawal';
  id: string;
}

/**
 * Pushes `account_update` for each (sub-account, currency) a change touched, with the balance as
 * it now stands inside the transaction. Sent through NOTIFY, so it reaches the account's
 * WebSocket connections only if and when the transaction commits.
 */
export async function notifyBalances(
  tx: Tx,
  accountId: string,
  touched: ReadonlyArray<readonly [subAccount: string, currency: string]>,
  now: Date,
  cause: BalanceCause,
): Promise<void> {
  const unique = [...new Map(touched.map(([s, c]) => [JSON.stringify([s, c]), [s, c] as const])).values()];
  if (unique.length === 0) return;
  const rows = await tx
    .select({ subAccount: balances.subAccount, currency: balances.currency, available: balances.available, onHold: balances.onHold })
    .from(balances)
    .where(
      and(
        eq(balances.accountId, accountId),
        inArray(
          balances.subAccount,
          unique.map(([s]) => s),
        ),
        inArray(
          balances.currency,
          unique.map(([, c]) => c),
        ),
      ),
    );
  for (const [subAccount, currency] of unique) {
    const row = rows.find((r) => r.subAccount === subAccount && r.currency === currency);
    await notifyAccountEvent(tx, accountUpdate(accountId, subAccount, currency, row?.available ?? '0', row?.onHold ?? '0', now, cause));
  }
}

/** The `account_update` event: one balance of a sub-account as it stands after a change, and why. */
export function accountUpdate(
  accountId: string,
  subAccount: string,
  currency: string,
  available: string,
  onHold: string,
  now: Date,
  cause: BalanceCause,
): AccountEvent {
  return {
    accountId,
    e: 'account_update',
    data: {
      accountId: subAccount,
      clientId: accountId,
      currency,
      balance: formatAmount(available, currency),
      onHoldBalance: formatAmount(onHold, currency),
      timestamp: now.getTime(),
      action: cause.action,
      id: cause.id,
    },
  };
}
