import type { Awaitable } from './awaitable';
import { metrics } from './metrics';

/**
 * A read-through cache whose entries are dropped by change notifications (lib/platform/events.ts).
 *
 * The subtle part is a load that overlaps a change: it may have read the row just before the
 * change committed, and its notification may arrive before the load returns. Such a load is
 * answered but not kept, or the old value would be served until the next change. A safety-net
 * age bounds what a lost notification can cost.
 */
export class NotifiedCache<V> {
  private entries = new Map<string, { value: V; loadedAt: number }>();
  // The load in flight per key; forget/clear remove it, which is how a load learns it overlapped.
  private loads = new Map<string, symbol>();

  private readonly hits: { inc: () => void };
  private readonly misses: { inc: () => void };

  constructor(
    private readonly options: {
      /** The cache's name in keydesk_cache_lookups_total. */
      name: string;
      /** How long a loaded value may be served without a notification (a safety net only). */
      maxAgeMs: (value: V) => number;
      /** Past this many entries the cache starts over, bounding memory. */
      maxEntries: number;
      /** Time source, for tests. */
      now?: () => number;
    },
  ) {
    this.hits = metrics().cacheLookups.of({ cache: options.name, result: 'hit' });
    this.misses = metrics().cacheLookups.of({ cache: options.name, result: 'miss' });
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /** The cached value if still fresh. */
  peek(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.loadedAt < this.options.maxAgeMs(entry.value)) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** peek, counted as a hit when found (the caller then loads through `get`, which counts the miss). */
  lookup(key: string): V | undefined {
    const cached = this.peek(key);
    if (cached !== undefined) this.hits.inc();
    return cached;
  }

  /** The cached value now (no promise), else a load of it. */
  get(key: string, load: () => Promise<V>): Awaitable<V> {
    const cached = this.lookup(key);
    return cached !== undefined ? cached : this.loadInto(key, load);
  }

  private async loadInto(key: string, load: () => Promise<V>): Promise<V> {
    this.misses.inc();
    const token = Symbol(key);
    this.loads.set(key, token);
    const loadedAt = this.now();
    let value: V;
    try {
      value = await load();
    } catch (error) {
      if (this.loads.get(key) === token) this.loads.delete(key);
      throw error;
    }
    if (this.loads.get(key) === token) {
      this.loads.delete(key);
      if (this.entries.size >= this.options.maxEntries) this.entries.clear();
      this.entries.set(key, { value, loadedAt });
    }
    return value;
  }

  /** Drops the key's value, and keeps any load of it now in flight from being stored. */
  forget(key: string): void {
    this.entries.delete(key);
    this.loads.delete(key);
  }

  /** Keeps every load now in flight from being stored (for a change whose key is unknown here). */
  abandonLoads(): void {
    this.loads.clear();
  }

  clear(): void {
    this.entries.clear();
    this.loads.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
