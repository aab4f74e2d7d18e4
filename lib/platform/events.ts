import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
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
/** Each process's proof, four times a second, that its LISTEN connection still hears (PostgreSQL only). */
const HEARTBEAT = 'keydesk_heartbeat';
const HEARTBEAT_EVERY_MS = 250;
/** Without a heartbeat heard for this long, notifications may be going missing: caches stop trusting them. */
const HEARTBEAT_LOST_AFTER_MS = 1_000;

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

/** Several events, in this order, in one statement (one round trip, however many). */
export async function notifyAccountEvents(tx: Db | Tx, events: readonly AccountEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (events.length === 1) return notifyAccountEvent(tx, events[0]);
  await tx.execute(accountEventsNotice(events));
}

/**
 * The query that sends `events` in this order, one row each: a statement of its own, or part of
 * a larger one (as a subquery; its pg_notify is volatile, so PostgreSQL evaluates it even when
 * the outer query reads no column of it). Its text is the same whatever the events: prepared once.
 */
export function accountEventsNotice(events: readonly AccountEvent[]): SQL {
  const payloads = JSON.stringify(events.map((event) => JSON.stringify(event)));
  return sql`select pg_notify(${ACCOUNT_EVENTS}, e.payload) from jsonb_array_elements_text(${payloads}::jsonb) with ordinality as e(payload, n) order by e.n`;
}

type Listener<T> = (value: T) => void;

/**
 * One LISTEN per channel per process, fanned out to in-process subscribers. Caches that rely on
 * these notifications ask `watches(db)` first, and empty themselves on `onResync`: after the LISTEN
 * connection was lost and re-established, what was missed meanwhile cannot be known.
 *
 * On PostgreSQL a lost LISTEN connection is not announced, and the database may be down: each
 * process NOTIFYs itself a heartbeat four times a second. While its own heartbeat is not heard, nothing
 * is trusted (`watches` is false: caches read the database, which answers or fails fast), and the
 * first heartbeat heard again empties the caches before they are trusted again.
 */
class EventHub {
  private keyListeners = new Set<Listener<string>>();
  private accountListeners = new Set<Listener<AccountEvent>>();
  private balanceListeners = new Set<Listener<string>>();
  private resyncListeners = new Set<Listener<void>>();
  private started: Promise<void> | null = null;
  private watched: Db | null = null;
  // PostgreSQL: when this process last heard its own heartbeat; null on PGlite (in-process, never lost).
  private heardAt: number | null = null;
  private heartbeatLost = false;
  private readonly heartbeatId = randomUUID();

  start(handle: DbHandle): Promise<void> {
    this.started ??= (async () => {
      const channels: [string, Listener<string>][] = [
        [KEY_CHANGED, (keyId) => this.keyListeners.forEach((l) => l(keyId))],
        [
          ACCOUNT_EVENTS,
          (payload) => {
            // Every order pushes several of these (~1 KB each): not parsed for nobody.
            if (this.accountListeners.size === 0) return;
            const event = JSON.parse(payload) as AccountEvent;
            this.accountListeners.forEach((l) => l(event));
          },
        ],
        [BALANCES_CHANGED, (accountId) => this.balanceListeners.forEach((l) => l(accountId))],
      ];
      for (const [channel, dispatch] of channels) {
        let again = false; // the first LISTEN is the start; any later one follows a lost connection
        await handle.listen(channel, dispatch, () => {
          if (again) this.resync();
          again = true;
        });
      }
      if (handle.kind === 'postgres') await this.startHeartbeat(handle);
      this.watched = handle.db;
    })();
    return this.started;
  }

  private resync(): void {
    this.resyncListeners.forEach((l) => l());
  }

  private async startHeartbeat(handle: DbHandle): Promise<void> {
    await handle.listen(HEARTBEAT, (payload) => {
      if (payload !== this.heartbeatId) return;
      // Heard again after a gap: whatever was sent meanwhile is lost, so start afresh first.
      if (this.heartbeatLost) this.resync();
      this.heartbeatLost = false;
      this.heardAt = Date.now();
    });
    const beat = () =>
      handle.db.execute(sql`select pg_notify(${HEARTBEAT}, ${this.heartbeatId})`).catch(() => {
        // The database is unreachable: the missing heartbeat says so.
      });
    this.heardAt = Date.now();
    setInterval(() => {
      if (!this.heartbeatLost && !this.hears()) this.heartbeatLost = true;
      void beat();
    }, HEARTBEAT_EVERY_MS).unref();
    void beat();
  }

  /** Whether notifications are arriving now (always on PGlite). */
  hears(): boolean {
    return this.heardAt === null || Date.now() - this.heardAt < HEARTBEAT_LOST_AFTER_MS;
  }

  /** True once every channel of this database is listened to: only then may a cache of it trust notifications. */
  watches(db: Db): boolean {
    return this.watched === db && !this.heartbeatLost && this.hears();
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
