import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db/client';

/** One hour's, or one action's, calls: accepted, and refused by reason. */
export interface UsageCount {
  accepted: number;
  refused: number;
}

export interface UsageHour extends UsageCount {
  /** The hour's start, UTC. */
  hour: Date;
}

export interface UsageAction extends UsageCount {
  action: string;
}

export interface UsageAddress {
  address: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  accepted: number;
  refused: number;
}

export interface UsageRefusal {
  at: Date;
  address: string | null;
  action: string;
  transport: 'rest' | 'ws';
  reason: string;
  detail: Record<string, unknown>;
}

export interface KeyUsage {
  /** Hours of the period with at least one call, oldest first. */
  hours: UsageHour[];
  /** Actions called in the period, most calls first. */
  actions: UsageAction[];
  /** Refused calls in the period by reason, most first. */
  refusedBy: { reason: string; calls: number }[];
  addresses: UsageAddress[];
  /** The most recent refused calls (at most 50, 7 days), newest first. */
  refusals: UsageRefusal[];
}

export const USAGE_PERIOD_HOURS = 7 * 24;
const ADDRESSES_SHOWN = 50;

/**
 * How one key of one account was used over the last 7 days: the hour rows plus the minute counts
 * not yet rolled up into them (so the page is as fresh as the last flush, a few seconds), its
 * addresses and its recent refusals. Every query is scoped to the account: another account's key
 * reads as unused.
 */
export async function findKeyUsage(db: Db, accountId: string, keyId: string, now = new Date()): Promise<KeyUsage> {
  const hourStart = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  const since = new Date(hourStart - (USAGE_PERIOD_HOURS - 1) * 3_600_000).toISOString();
  // One statement, three answers as JSON arrays (each aggregated in its list's order): each
  // statement is a round trip (on the embedded database, a pass through its parser and planner),
  // and the key page draws all three at once.
  const [row] = rowsOf<{ counts: unknown; addresses: unknown; refusals: unknown }>(
    await db.execute(sql`
      with owned as (select 1 from api_keys k where k.id = ${keyId} and k.account_id = ${accountId})
      select
        (select coalesce(json_agg(c), '[]') from (
          select extract(epoch from u.hour)::float8 * 1000 as hour, u.action, u.outcome, sum(u.calls)::float8 as calls
          from (
            select hour, action, outcome, calls from api_key_usage_hours
            where api_key_id = ${keyId} and hour >= ${since}::timestamptz
            union all
            select date_trunc('hour', minute, 'UTC'), action, outcome, calls - rolled_calls from api_key_usage_minutes
            where api_key_id = ${keyId} and minute >= ${since}::timestamptz and calls > rolled_calls
          ) u
          group by 1, 2, 3
        ) c) as counts,
        (select coalesce(json_agg(json_build_object(
            'address', a.address, 'firstSeenAt', a.first_seen_at, 'lastSeenAt', a.last_seen_at,
            'accepted', a.accepted::float8, 'refused', a.refused::float8
          ) order by a.last_seen_at desc, a.address), '[]') from (
          select address, first_seen_at, last_seen_at, accepted, refused
          from api_key_addresses
          where api_key_id = ${keyId}
          order by last_seen_at desc, address
          limit ${ADDRESSES_SHOWN}
        ) a) as addresses,
        (select coalesce(json_agg(json_build_object(
            'at', r.at, 'address', r.address, 'action', r.action, 'transport', r.transport, 'reason', r.reason, 'detail', r.detail
          ) order by r.at desc, r.id desc), '[]') from (
          select id, at, address, action, transport, reason, detail
          from api_key_refusals
          where api_key_id = ${keyId}
          order by at desc, id desc
          limit 50
        ) r) as refusals
      from owned`),
  );
  // Another account's key (or none): no row, nothing to show.
  if (!row) return { hours: [], actions: [], refusedBy: [], addresses: [], refusals: [] };
  return {
    ...summarize(jsonArray<{ hour: number; action: string; outcome: string; calls: number }>(row.counts)),
    addresses: jsonArray<UsageAddress>(row.addresses).map((a) => ({
      ...a,
      firstSeenAt: new Date(a.firstSeenAt),
      lastSeenAt: new Date(a.lastSeenAt),
      accepted: Number(a.accepted),
      refused: Number(a.refused),
    })),
    refusals: jsonArray<UsageRefusal>(row.refusals).map((r) => ({
      ...r,
      at: new Date(r.at),
      detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
    })),
  };
}

/** A json column: parsed by the driver, or still its text. */
const jsonArray = <T>(value: unknown): T[] => (typeof value === 'string' ? (JSON.parse(value) as T[]) : (value as T[]));

function summarize(rows: { hour: number; action: string; outcome: string; calls: number }[]) {
  const hours = new Map<number, UsageHour>();
  const actions = new Map<string, UsageAction>();
  const refusedBy = new Map<string, number>();
  for (const row of rows) {
    const hourMs = Number(row.hour);
    const calls = Number(row.calls);
    const accepted = row.outcome === 'accepted';
    let hour = hours.get(hourMs);
    if (!hour) hours.set(hourMs, (hour = { hour: new Date(hourMs), accepted: 0, refused: 0 }));
    let action = actions.get(row.action);
    if (!action) actions.set(row.action, (action = { action: row.action, accepted: 0, refused: 0 }));
    if (accepted) {
      hour.accepted += calls;
      action.accepted += calls;
    } else {
      hour.refused += calls;
      action.refused += calls;
      refusedBy.set(row.outcome, (refusedBy.get(row.outcome) ?? 0) + calls);
    }
  }
  const total = (c: UsageCount) => c.accepted + c.refused;
  return {
    hours: [...hours.values()].sort((a, b) => a.hour.getTime() - b.hour.getTime()),
    actions: [...actions.values()].sort((a, b) => total(b) - total(a) || a.action.localeCompare(b.action)),
    refusedBy: [...refusedBy].map(([reason, calls]) => ({ reason, calls })).sort((a, b) => b.calls - a.calls),
  };
}
