import { pipelinedTransaction, type CommitWith, type Db, type Tx } from '@/db/client';
import { andThen, type Awaitable } from '@/lib/platform/awaitable';
import { eventHub } from '@/lib/platform/events';
import { NotifiedCache } from '@/lib/platform/notified-cache';
import { balancesPerAccount, walletBalancesOf, type SubAccountBalances } from './balances';

export type AccountBalances = Readonly<Record<string, Readonly<SubAccountBalances>>>;
type WalletBalances = Readonly<Record<string, { balance: string }>>;

// A safety net only: every change is announced by the triggers of migrations 0005, 0010 and 0012.
const MAX_AGE_MS = 5_000;
const MAX_ENTRIES = 10_000;
// Distinct get_my_orders queries kept per account: a bot polls a few (open orders, per pair).
const MAX_ORDER_QUERIES = 32;

/**
 * The ledger's hot reads per account in memory — balances (get_my_account_status_v3, the API's
 * hottest read), the wallet and order lists (get_my_orders). Entries are dropped by the NOTIFY
 * that triggers on `balances`, `wallet_balances` and `orders` send when any writer commits, in
 * every process; the ledger also drops its account right after its own commits, so a client
 * reads its own write at once. Without a LISTEN on this database nothing is kept.
 */
class BalanceCache {
  private cache = new NotifiedCache<AccountBalances>({ name: 'balances', maxAgeMs: () => MAX_AGE_MS, maxEntries: MAX_ENTRIES });
  // The account's wallet, announced on the same channel (the trigger of migration 0010).
  private wallets = new NotifiedCache<WalletBalances>({ name: 'wallet', maxAgeMs: () => MAX_AGE_MS, maxEntries: MAX_ENTRIES });
  // One cache per account, keyed by query. Forgetting the account drops its cache whole: a load
  // still in flight then stores into the dropped one, where nobody reads it.
  private orderLists = new Map<string, NotifiedCache<readonly object[]>>();

  constructor() {
    eventHub().onBalancesChanged((accountId) => (accountId === '*' ? this.clear() : this.forget(accountId)));
    eventHub().onResync(() => this.clear());
  }

  readWallet(db: Db, accountId: string): Awaitable<WalletBalances> {
    if (!eventHub().watches(db)) return walletBalancesOf(db, accountId);
    return this.wallets.get(accountId, async () => freezeEach(await walletBalancesOf(db, accountId)));
  }

  /** An order list of the account, by its query (the canonical params): from memory while unchanged. */
  readOrders<T extends object>(db: Db, accountId: string, query: string, load: () => Promise<T[]>): Awaitable<readonly T[]> {
    if (!eventHub().watches(db)) return load();
    let lists = this.orderLists.get(accountId);
    if (!lists) {
      if (this.orderLists.size >= MAX_ENTRIES) this.orderLists.clear();
      lists = new NotifiedCache<readonly object[]>({ name: 'order_lists', maxAgeMs: () => MAX_AGE_MS, maxEntries: MAX_ORDER_QUERIES });
      this.orderLists.set(accountId, lists);
    }
    return lists.get(query, async () => Object.freeze((await load()).map((o) => Object.freeze(o)))) as Awaitable<readonly T[]>;
  }

  private clear(): void {
    this.cache.clear();
    this.wallets.clear();
    this.orderLists.clear();
  }

  /** From memory without a promise while unchanged (the API's hottest read). */
  read(db: Db, accountId: string, subAccounts?: string[]): Awaitable<AccountBalances> {
    if (!eventHub().watches(db)) return balancesPerAccount(db, accountId, subAccounts);
    return andThen(
      this.cache.get(accountId, async () => deepFreeze(await balancesPerAccount(db, accountId))),
      (all) =>
        subAccounts?.length ? Object.fromEntries(Object.entries(all).filter(([subAccount]) => subAccounts.includes(subAccount))) : all,
    );
  }

  forget(accountId: string): void {
    this.cache.forget(accountId);
    this.wallets.forget(accountId);
    this.orderLists.delete(accountId);
  }
}

// Shared objects: freezing keeps one caller from changing what the next one is served.
function deepFreeze(balances: Record<string, SubAccountBalances>): AccountBalances {
  for (const subAccount of Object.values(balances)) freezeEach(subAccount);
  return Object.freeze(balances);
}

function freezeEach<T extends Record<string, object>>(record: T): Readonly<T> {
  for (const value of Object.values(record)) Object.freeze(value);
  return Object.freeze(record);
}

const store = globalThis as typeof globalThis & { __keydeskBalances?: BalanceCache };

export function balanceCache(): BalanceCache {
  store.__keydeskBalances ??= new BalanceCache();
  return store.__keydeskBalances;
}

/**
 * A ledger write: one transaction, then this process forgets the account's cached balances at
 * once (other processes hear of it through the trigger's NOTIFY).
 */
export function ledgerTransaction<T>(db: Db, accountId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return forgettingAfter(accountId, () => db.transaction(work));
}

/** The same, in a transaction whose COMMIT goes out behind its last statement (pipelinedTransaction). */
export function pipelinedLedgerTransaction<T>(db: Db, accountId: string, work: (tx: Tx, commit: CommitWith) => Promise<T>): Promise<T> {
  return forgettingAfter(accountId, () => pipelinedTransaction(db, work));
}

async function forgettingAfter<T>(accountId: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } finally {
    balanceCache().forget(accountId);
  }
}
