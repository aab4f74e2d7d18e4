import type Big from 'big.js';
import { and, desc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { orders } from '@/db/schema';
import { formatAmount } from './balances';
import { plain } from './decimal';
import { PAIRS, pairName } from './market';

/**
 * The public trade tape: every account's fills of a pair, without who made them. A fill is an
 * order that executed (Market, or Limit IOC/FOK) at its average price; the taker's side is the
 * trade's side. Read through the partial index orders_pair_fills_idx.
 */
type Pair = (typeof PAIRS)[number];
const filled = (pair: Pair) => and(eq(orders.currency1, pair.base), eq(orders.currency2, pair.quote), sql`${orders.executedCcy1} > 0`);

export interface TapeQuery {
  from?: Date;
  to?: Date;
  fromTradeId?: number;
  toTradeId?: number;
  pageSize: number;
}

/** The newest fills first, as get_trade_history answers them. */
export async function tradesOf(db: Db, pair: Pair, q: TapeQuery) {
  const rows = await db
    .select({ id: orders.id, side: orders.side, price: orders.averagePrice, amount: orders.executedCcy1, at: orders.updatedAt })
    .from(orders)
    .where(
      and(
        filled(pair),
        q.from ? gte(orders.updatedAt, q.from) : undefined,
        q.to ? lte(orders.updatedAt, q.to) : undefined,
        q.fromTradeId !== undefined ? gte(orders.id, q.fromTradeId) : undefined,
        q.toTradeId !== undefined ? lte(orders.id, q.toTradeId) : undefined,
      ),
    )
    .orderBy(desc(orders.updatedAt), desc(orders.id))
    .limit(q.pageSize);
  return rows.map((r) => ({
    tradeId: String(r.id),
    dateISO: r.at.toISOString(),
    side: r.side,
    price: plain(r.price ?? '0'),
    amount: formatAmount(r.amount, pair.base),
  }));
}

/** Base volume traded per bucket of `bucketMs` in [from, to), keyed by the bucket's start (ms). */
export async function volumeByBucket(db: Db, pair: Pair, from: Date, to: Date, bucketMs: number): Promise<Map<number, string>> {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) throw new Error(`bad candle size ${bucketMs}`);
  // Inlined, not a parameter: GROUP BY must repeat the select's expression exactly.
  const size = sql.raw(String(bucketMs));
  const bucket = sql<string>`floor(extract(epoch from ${orders.updatedAt}) * 1000 / ${size}) * ${size}`;
  const rows = await db
    .select({ start: bucket, volume: sql<string>`sum(${orders.executedCcy1})` })
    .from(orders)
    .where(and(filled(pair), gte(orders.updatedAt, from), lt(orders.updatedAt, to)))
    .groupBy(bucket);
  return new Map(rows.map((r) => [Number(r.start), formatAmount(String(r.volume), pair.base)]));
}

export interface DayStats {
  volume: string;
  quoteVolume: string;
  high: string | null;
  low: string | null;
  lastTradePrice: string | null;
  lastTradeVolume: string | null;
  lastTradeDateISO: string | null;
}

/** Each pair's last 24 hours of fills, for get_ticker: two reads for every pair together. */
export async function dayStatsByPair(db: Db, now: Date): Promise<Map<string, DayStats>> {
  const since = new Date(now.getTime() - 86_400_000);
  const inDay = and(sql`${orders.executedCcy1} > 0`, gte(orders.updatedAt, since), lte(orders.updatedAt, now));
  const [totals, last] = await Promise.all([
    db
      .select({
        currency1: orders.currency1,
        currency2: orders.currency2,
        volume: sql<string>`sum(${orders.executedCcy1})`,
        quoteVolume: sql<string>`sum(${orders.executedCcy2})`,
        high: sql<string>`max(${orders.averagePrice})`,
        low: sql<string>`min(${orders.averagePrice})`,
      })
      .from(orders)
      .where(inDay)
      .groupBy(orders.currency1, orders.currency2),
    db
      .selectDistinctOn([orders.currency1, orders.currency2], {
        currency1: orders.currency1,
        currency2: orders.currency2,
        price: orders.averagePrice,
        amount: orders.executedCcy1,
        at: orders.updatedAt,
      })
      .from(orders)
      .where(inDay)
      .orderBy(orders.currency1, orders.currency2, desc(orders.updatedAt), desc(orders.id)),
  ]);
  const stats = new Map<string, DayStats>();
  for (const pair of PAIRS) {
    const t = totals.find((r) => r.currency1 === pair.base && r.currency2 === pair.quote);
    const l = last.find((r) => r.currency1 === pair.base && r.currency2 === pair.quote);
    stats.set(pairName(pair), {
      volume: formatAmount(String(t?.volume ?? '0'), pair.base),
      quoteVolume: formatAmount(String(t?.quoteVolume ?? '0'), pair.quote),
      high: t?.high ? plain(String(t.high)) : null,
      low: t?.low ? plain(String(t.low)) : null,
      lastTradePrice: l?.price ? plain(l.price) : null,
      lastTradeVolume: l ? formatAmount(l.amount, pair.base) : null,
      lastTradeDateISO: l ? l.at.toISOString() : null,
    });
  }
  return stats;
}

/** A volume of `currency` in USD, or null with no route to USD. */
export function inUsdOrNull(amount: string, rate: Big | null): string | null {
  return rate ? formatAmount(rate.times(amount).toFixed(), 'USD') : null;
}
