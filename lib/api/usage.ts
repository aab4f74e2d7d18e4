import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { errorText, log } from '@/lib/platform/log';
import type { ApiTransport, RefusalDetail, RefusalReason } from './refusals';

const FLUSH_EVERY_MS = 5_000;
const MINUTE_MS = 60_000;
/** Refused calls kept per key (the table is trimmed to this on every write). */
export const RECENT_REFUSALS_PER_KEY = 50;

export type UsageOutcome = 'accepted' | RefusalReason;

interface Count {
  keyId: string;
  minute: number;
  action: string;
  outcome: UsageOutcome;
  calls: number;
}

interface Seen {
  keyId: string;
  address: string;
  first: number;
  last: number;
  accepted: number;
  refused: number;
}

interface PendingRefusal {
  at: number;
  address: string | null;
  action: string;
  transport: ApiTransport;
  reason: RefusalReason;
  detail: RefusalDetail;
}

/**
 * How each key is used, counted in memory on every call and added to the database every few
 * seconds, off the request path (as last-used is): per key, minute, action and outcome (accepted,
 * or the refusal's reason), the addresses it came from, and its recent refused calls. Each process
 * adds its own counts with additive upserts, so any number of processes sum up; the roll-up into
 * hours and the retention run elsewhere (./usage-rollup.ts).
 *
 * Calls of an unknown key are attributed to no one: nothing here sees them.
 */
export class UsageRecorder {
  private counts = new Map<string, Count>();
  private addresses = new Map<string, Seen>();
  private refusals = new Map<string, PendingRefusal[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: () => Db) {}

  /** A call the key was allowed to make (its action may still refuse it, e.g. insufficient funds). */
  accepted(keyId: string, action: string, address: string | null, now: Date): void {
    const at = now.getTime();
    this.count(keyId, at, action, 'accepted');
    if (address) this.see(keyId, address, at, true);
  }

  refused(
    keyId: string,
    action: string,
    address: string | null,
    now: Date,
    transport: ApiTransport,
    reason: RefusalReason,
    detail: RefusalDetail = {},
  ): void {
    const at = now.getTime();
    this.count(keyId, at, action, reason);
    if (address) this.see(keyId, address, at, false);
    let recent = this.refusals.get(keyId);
    if (!recent) this.refusals.set(keyId, (recent = []));
    // A flood of refusals costs no more than the 50 the page shows.
    if (recent.length >= RECENT_REFUSALS_PER_KEY) recent.shift();
    recent.push({ at, address, action, transport, reason, detail });
  }

  private count(keyId: string, at: number, action: string, outcome: UsageOutcome): void {
    const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
    const id = `${keyId} ${minute} ${action} ${outcome}`;
    const count = this.counts.get(id);
    if (count) count.calls++;
    else this.counts.set(id, { keyId, minute, action, outcome, calls: 1 });
    this.schedule();
  }

  private see(keyId: string, address: string, at: number, accepted: boolean): void {
    const id = `${keyId} ${address}`;
    let seen = this.addresses.get(id);
    if (!seen) this.addresses.set(id, (seen = { keyId, address, first: at, last: at, accepted: 0, refused: 0 }));
    if (at < seen.first) seen.first = at;
    if (at > seen.last) seen.last = at;
    if (accepted) seen.accepted++;
    else seen.refused++;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Writes what was counted since the last flush, in one transaction; on failure it is dropped (and logged). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const counts = [...this.counts.values()];
    const addresses = [...this.addresses.values()];
    const refusals = [...this.refusals];
    this.counts = new Map();
    this.addresses = new Map();
    this.refusals = new Map();
    if (counts.length === 0 && addresses.length === 0 && refusals.length === 0) return;
    try {
      await this.db().transaction(async (tx) => {
        if (counts.length) await tx.execute(upsertCounts(counts));
        if (addresses.length) await tx.execute(upsertAddresses(addresses));
        if (refusals.length) {
          await tx.execute(insertRefusals(refusals));
          await tx.execute(trimRefusals(refusals.map(([keyId]) => keyId)));
        }
      });
    } catch (error) {
      log.error({ err: errorText(error) }, 'could not record the usage of keys');
    }
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

// Rows of keys deleted meanwhile are skipped (the join), not a failed batch; the sorted order
// makes concurrent flushes of several processes lock shared rows in the same order.
function upsertCounts(counts: Count[]) {
  const rows = counts.map((c) => ({ k: c.keyId, m: iso(c.minute), a: c.action, o: c.outcome, n: c.calls }));
  return sql`
    insert into api_key_usage_minutes (api_key_id, minute, action, outcome, calls)
    select v.k, v.m, v.a, v.o, v.n
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(k uuid, m timestamptz, a text, o text, n integer)
    join api_keys on api_keys.id = v.k
    order by v.k, v.m, v.a, v.o
    on conflict (api_key_id, minute, action, outcome) do update set calls = api_key_usage_minutes.calls + excluded.calls`;
}

function upsertAddresses(addresses: Seen[]) {
  const rows = addresses.map((s) => ({ k: s.keyId, ip: s.address, f: iso(s.first), l: iso(s.last), a: s.accepted, r: s.refused }));
  return sql`
    insert into api_key_addresses (api_key_id, address, first_seen_at, last_seen_at, accepted, refused)
    select v.k, v.ip, v.f, v.l, v.a, v.r
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(k uuid, ip text, f timestamptz, l timestamptz, a bigint, r bigint)
    join api_keys on api_keys.id = v.k
    order by v.k, v.ip
    on conflict (api_key_id, address) do update set
      first_seen_at = least(api_key_addresses.first_seen_at, excluded.first_seen_at),
      last_seen_at = greatest(api_key_addresses.last_seen_at, excluded.last_seen_at),
      accepted = api_key_addresses.accepted + excluded.accepted,
      refused = api_key_addresses.refused + excluded.refused`;
}

function insertRefusals(refusals: [string, PendingRefusal[]][]) {
  const rows = refusals.flatMap(([keyId, list]) =>
    list.map((r) => ({ k: keyId, t: iso(r.at), ip: r.address, a: r.action, tr: r.transport, r: r.reason, d: r.detail })),
  );
  return sql`
    insert into api_key_refusals (api_key_id, at, address, action, transport, reason, detail)
    select v.k, v.t, v.ip, v.a, v.tr, v.r, v.d
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(k uuid, t timestamptz, ip text, a text, tr text, r text, d jsonb)
    join api_keys on api_keys.id = v.k
    order by v.t`;
}

/** Keeps the newest 50 refusals of each key just written to. */
function trimRefusals(keyIds: string[]) {
  return sql`
    delete from api_key_refusals r using (
      select id, row_number() over (partition by api_key_id order by at desc, id desc) as n
      from api_key_refusals
      where api_key_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(keyIds)}::jsonb))
    ) ranked
    where r.id = ranked.id and ranked.n > ${RECENT_REFUSALS_PER_KEY}`;
}
