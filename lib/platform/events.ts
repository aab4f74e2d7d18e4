import { sql } from 'drizzle-orm';
import type { Db, DbHandle, Tx } from '@/db/client';

/**
 * Cross-process events through PostgreSQL LISTEN/NOTIFY (PGlite supports it too). Sent inside
 * the transaction that made the change, they are delivered only if and when it commits, to every
 * app process on the database — which is what lets a deactivated key stop working "at once" in
 * all of them and keeps no state that matters in one process's memory.
 */
export const KEY_CHANGED = 'keydesk_key_changed';
export const ACCOUNT_EVENTS = 'keydesk_account_events';
/** Sent by a trigger on `balances` (migration 0005) with the account id, or '*' after a TRUNCATE. */
const BALANCES_CHANGED = 'keydesk_balances_changed';

export interface AccountEvent {
  accountId: string;
  /** The WebSocket event name pushed to the account's authenticated connections. */
  e: 'account_update' | 'executionReport';
  data: Record<string, unknown>;
}

export async function notifyKeyChanged(tx: Db | Tx, keyId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${KEY_CHANGED}, ${keyId})`);
}

export async function notifyAccountEvent(tx: Db | Tx, event: AccountEvent): Promise<void> {
  await tx.execute(sql`select pg_notify(${ACCOUNT_EVENTS}, ${JSON.stringify(event)})`);
}

type Listener<T> = (value: T) => void;

/**
 * One LISTEN per channel per process, fanned out to in-process subscribers. Caches that rely on
 * these notifications ask `watches(db)` first, and empty themselves on `onResync`: after the LISTEN
 * connection was lost and re-established, what was missed meanwhile cannot be known.
 */
class EventHub {
  private keyListeners = new Set<Listener<string>>();
  private accountListeners = new Set<Listener<AccountEvent>>();
  private balanceListeners = new Set<Listener<string>>();
  private resyncListeners = new Set<Listener<void>>();
  private started: Promise<void> | null = null;
  private watched: Db | null = null;

  start(handle: DbHandle): Promise<void> {
    this.started ??= (async () => {
      const channels: [string, Listener<string>][] = [
        [KEY_CHANGED, (keyId) => this.keyListeners.forEach((l) => l(keyId))],
        [
          ACCOUNT_EVENTS,
          (payload) => {
            const event = JSON.parse(payload) as AccountEvent;
            this.accountListeners.forEach((l) => l(event));
          },
        ],
        [BALANCES_CHANGED, (accountId) => this.balanceListeners.forEach((l) => l(accountId))],
      ];
      for (const [channel, dispatch] of channels) {
        let again = false; // the first LISTEN is the start; any later one follows a lost connection
        await handle.listen(channel, dispatch, () => {
          if (again) this.resyncListeners.forEach((l) => l());
          again = true;
        });
      }
      this.watched = handle.db;
    })();
    return this.started;
  }

  /** True once every channel of this database is listened to: only then may a cache of it trust notifications. */
  watches(db: Db): boolean {
    return this.watched === db;
  }

  onBalancesChanged = (listener: Listener<string>) => subscribe(this.balanceListeners, listener);
  onResync = (listener: Listener<void>) => subscribe(this.resyncListeners, listener);
  onKeyChanged = (listener: Listener<string>) => subscribe(this.keyListeners, listener);
  onAccountEvent = (listener: Listener<AccountEvent>) => subscribe(this.accountListeners, listener);

  /** Subscribers to key changes and account events: one each per authenticated WebSocket. */
  subscriberCounts(): { keyChanges: number; accountEvents: number } {
    return { keyChanges: this.keyListeners.size, accountEvents: this.accountListeners.size };
  }
}

/** Adds a subscriber; the returned function removes it. */
function subscribe<T>(listeners: Set<Listener<T>>, listener: Listener<T>): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const store = globalThis as typeof globalThis & { __keydeskEvents?: EventHub };

export function eventHub(): EventHub {
  store.__keydeskEvents ??= new EventHub();
  return store.__keydeskEvents;
}
