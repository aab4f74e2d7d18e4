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

/** One LISTEN per channel per process, fanned out to in-process subscribers. */
class EventHub {
  private keyListeners = new Set<Listener<string>>();
  private accountListeners = new Set<Listener<AccountEvent>>();
  private started: Promise<void> | null = null;

  start(handle: DbHandle): Promise<void> {
    this.started ??= (async () => {
      await handle.listen(KEY_CHANGED, (keyId) => this.keyListeners.forEach((l) => l(keyId)));
      await handle.listen(ACCOUNT_EVENTS, (payload) => {
        const event = JSON.parse(payload) as AccountEvent;
        this.accountListeners.forEach((l) => l(event));
      });
    })();
    return this.started;
  }

  onKeyChanged(listener: Listener<string>): () => void {
    this.keyListeners.add(listener);
    return () => this.keyListeners.delete(listener);
  }

  onAccountEvent(listener: Listener<AccountEvent>): () => void {
    this.accountListeners.add(listener);
    return () => this.accountListeners.delete(listener);
  }
}

const store = globalThis as typeof globalThis & { __keydeskEvents?: EventHub };

export function eventHub(): EventHub {
  store.__keydeskEvents ??= new EventHub();
  return store.__keydeskEvents;
}
