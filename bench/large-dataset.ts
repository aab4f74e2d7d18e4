import { randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { hashPassword } from '@/lib/identity/passwords';
import type { Db, Tx } from '@/db/client';
import { rowsOf } from '@/db/client';

/**
 * A large, plausible dataset for measuring the admin views: N API keys over N/16 Prime accounts
 * (one generated owner each), a tenth as many Standard accounts without keys (as the product
 * allows), and audit rows for every key. Everything is generated inside the database with
 * generate_series, in batches, so a million keys take a minute or two rather than hours.
 *
 * Ids are md5(run salt, kind, n) shaped as v4 uuids, so keys find their account without a lookup and a
 * second run adds to the first instead of colliding with it.
 */

export const KEYS_PER_ACCOUNT = 16;
const ACCOUNT_BATCH = 20_000;
const KEY_BATCH = 25_000;

/** These keys are never used: their secret column holds a placeholder that decrypts to nothing. */
const DUMMY_SECRET = 'v1.seed.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.c2VlZC1sYXJnZS1ub3QtYS1zZWNyZXQ';

const words = (list: string[]) => sql.raw(`array[${list.map((w) => `'${w}'`).join(',')}]`);
const ACCOUNT_FIRST = words([
  'Atlas',
  'Boreal',
  'Cobalt',
  'Delta',
  'Ember',
  'Fjord',
  'Granite',
  'Harbor',
  'Iris',
  'Juniper',
  'Kestrel',
  'Lumen',
  'Meridian',
  'Nimbus',
  'Onyx',
  'Pioneer',
  'Quartz',
  'Summit',
  'Tidal',
  'Vertex',
]);
const ACCOUNT_SECOND = words([
  'Capital',
  'Markets',
  'Trading',
  'Partners',
  'Holdings',
  'Liquidity',
  'Ventures',
  'Securities',
  'Digital',
  'Group',
]);
const FIRST_NAMES = words([
  'ada',
  'ben',
  'chloe',
  'dan',
  'eva',
  'finn',
  'grace',
  'hugo',
  'ines',
  'jon',
  'kira',
  'leo',
  'mia',
  'noah',
  'olga',
  'pablo',
  'quinn',
  'rosa',
  'sam',
  'tara',
]);
const LAST_NAMES = words([
  'adams',
  'baker',
  'chen',
  'diaz',
  'evans',
  'fischer',
  'garcia',
  'hughes',
  'ito',
  'jensen',
  'khan',
  'lopez',
  'moreau',
  'nagy',
  'olsen',
  'patel',
]);
const KEY_WORDS = words([
  'trading-bot',
  'market-maker',
  'hedger',
  'arbitrage',
  'price-feed',
  'treasury',
  'reporting',
  'settlement',
  'risk',
  'backoffice',
  'algo',
  'rebalancer',
]);
/** md5(text) shaped as a version-4 UUID, so every id passes the same checks as generated ones. */
const uuidOf = (text: SQL) => sql`overlay(overlay(md5(${text}) placing '4' from 13 for 1) placing '8' from 17 for 1)::uuid`;
const pick = (list: ReturnType<typeof words>, r: string) => sql`(${list})[1 + floor(${sql.raw(r)} * array_length(${list}, 1))::int]`;

export interface LargeDatasetOptions {
  log?: (line: string) => void;
  /** Drop and re-create the secondary indexes around the load; by default from REBUILD_FROM keys. */
  rebuildIndexes?: boolean;
}

async function insertAccounts(db: Db | Tx, salt: string, prime: number, start: number, end: number, passwordHash: string): Promise<void> {
  await db.execute(sql`
      insert into accounts (id, name, type, created_at)
      select ${uuidOf(sql`${salt} || ':a:' || g`)},
        ${pick(ACCOUNT_FIRST, 'random()')} || ' ' || ${pick(ACCOUNT_SECOND, 'random()')} || ' ' || upper(substr(md5(random()::text), 1, 4)),
        (case when g > ${prime}::int then 'standard' else 'prime' end)::account_type,
        now() - random() * interval '900 days'
      from generate_series(${start}::int, ${end}::int) g`);
  await db.execute(sql`
      insert into users (id, email, name, password_hash, created_at)
      select ${uuidOf(sql`${salt} || ':u:' || g`)}, first || '.' || last || '.' || g || '.' || ${salt} || '@bulk.keydesk.test',
        initcap(first) || ' ' || initcap(last), ${passwordHash}, now() - random() * interval '900 days'
      from (select g, ${pick(FIRST_NAMES, 'random()')} as first, ${pick(LAST_NAMES, 'random()')} as last from generate_series(${start}::int, ${end}::int) g) s`);
  await db.execute(sql`
      insert into memberships (user_id, account_id, role)
      select ${uuidOf(sql`${salt} || ':u:' || g`)}, ${uuidOf(sql`${salt} || ':a:' || g`)}, 'owner'
      from generate_series(${start}::int, ${end}::int) g`);
}

/** One batch of keys and, in the same statement, their audit rows (created; suspended; revoked). */
async function insertKeys(db: Db | Tx, salt: string, start: number, end: number, adminId: string | null): Promise<void> {
  const per = KEYS_PER_ACCOUNT;
  await db.execute(sql`
    with s as (
      select g, ${uuidOf(sql`${salt} || ':a:' || ((g - 1) / ${per}::int + 1)`)} as account_id,
        ${uuidOf(sql`${salt} || ':u:' || ((g - 1) / ${per}::int + 1)`)} as owner_id,
        now() - random() * interval '730 days' as created_at,
        random() as r_status, random() as r_used, random() as r_perm, random() as r_exp, random() as r_admin, random() as r_ip, random() as r_name
      from generate_series(${start}::int, ${end}::int) g
    ), k as (
      insert into api_keys (account_id, name, public_key, secret_enc, permissions, ip_whitelist, status, created_by, created_at, updated_at,
        activated_at, last_used_at, last_used_ip, expires_at, suspended_at, suspension_reason, revoked_at, revocation_reason)
      select account_id,
        ${pick(KEY_WORDS, 'r_name')} || '-' || substr(md5(g::text || ${salt}), 1, 6) || '-' || ((g - 1) % ${per}::int + 1),
        'kd_' || replace(gen_random_uuid()::text, '-', ''),
        ${DUMMY_SECRET},
        array_remove(array['read', case when r_perm < 0.6 then 'trade' end, case when r_perm < 0.3 then 'funds_internal' end,
          case when r_perm < 0.12 then 'funds_wallet' end, case when r_perm < 0.04 then 'funds_external' end], null),
        case when r_ip < 0.5 then '{}'::text[] else array['10.' || (g % 250) || '.0.0/16'] end,
        (case when r_status < 0.7 then 'active' else 'inactive' end)::api_key_status,
        owner_id, created_at,
        created_at + (now() - created_at) * random(),
        case when r_status < 0.7 then created_at + interval '2 minutes' end,
        case when r_used < 0.6 then created_at + (now() - created_at) * r_used * 1.6 end,
        case when r_used < 0.6 then '198.51.100.' || (g % 250) end,
        case when r_exp < 0.08 then now() + (r_exp * 5000 - 100) * interval '1 day' end,
        case when r_admin < 0.008 then created_at + (now() - created_at) * 0.9 end,
        case when r_admin < 0.008 then 'Unusual activity (generated)' end,
        case when r_admin < 0.003 then created_at + (now() - created_at) * 0.95 end,
        case when r_admin < 0.003 then 'Secret published (generated)' end
      from s
      returning id, account_id, created_by, created_at, name, suspended_at, revoked_at
    )
    insert into audit_events (at, actor_user_id, account_id, api_key_id, action, details, ip, user_agent)
    select created_at, created_by, account_id, id, 'api_key.created', jsonb_build_object('name', name), '198.51.100.7', 'seed-large' from k
    union all
    select suspended_at, ${adminId}::uuid, account_id, id, 'api_key.suspended', jsonb_build_object('name', name, 'reason', 'Unusual activity (generated)'), '198.51.100.8', 'seed-large'
    from k where suspended_at is not null
    union all
    select revoked_at, ${adminId}::uuid, account_id, id, 'api_key.revoked', jsonb_build_object('name', name, 'reason', 'Secret published (generated)'), '198.51.100.8', 'seed-large'
    from k where revoked_at is not null`);
}

/** Below this many new keys, indexes are kept up to date row by row rather than rebuilt. */
const REBUILD_FROM = 50_000;

/**
 * The secondary indexes of the two big tables (constraint indexes — primary keys, unique public
 * key — stay). Building an index once over a million rows is many times faster than updating it
 * a million times, so a large load drops them and re-creates them from their own definitions.
 */
async function secondaryIndexes(tx: Tx): Promise<{ name: string; definition: string }[]> {
  return rowsOf<{ name: string; definition: string }>(
    await tx.execute(sql`
      select i.indexname as name, i.indexdef as definition from pg_indexes i
      where i.schemaname = 'public' and i.tablename in ('api_keys', 'audit_events')
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
      order by i.indexname`),
  );
}

/**
 * Adds `keyCount` keys (and their accounts, owners and audit rows) in one transaction, in batches
 * of statements; returns the seconds taken. A large load rebuilds the indexes at the end and holds
 * the tables locked meanwhile, which suits a fresh or development database, not a live one.
 */
export async function seedLargeDataset(db: Db, keyCount: number, options: LargeDatasetOptions = {}): Promise<number> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const salt = randomBytes(4).toString('hex');
  const prime = Math.ceil(keyCount / KEYS_PER_ACCOUNT);
  const accounts = prime + Math.ceil(prime / 10);
  // A real hash of a password nobody knows: the generated owners exist to be listed, not to sign in.
  const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
  const [admin] = rowsOf<{ id: string }>(await db.execute(sql`select id from users where role = 'admin' order by created_at limit 1`));
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    await tx.execute(sql`set local maintenance_work_mem = '128MB'`);
    const rebuild = (options.rebuildIndexes ?? keyCount >= REBUILD_FROM) ? await secondaryIndexes(tx) : [];
    for (const index of rebuild) await tx.execute(sql.raw(`drop index "${index.name}"`));
    for (let start = 1; start <= accounts; start += ACCOUNT_BATCH) {
      await insertAccounts(tx, salt, prime, start, Math.min(accounts, start + ACCOUNT_BATCH - 1), passwordHash);
    }
    log(`  ${accounts.toLocaleString('en')} accounts and owners (${prime.toLocaleString('en')} Prime) after ${elapsed()}`);
    for (let start = 1; start <= keyCount; start += KEY_BATCH) {
      const end = Math.min(keyCount, start + KEY_BATCH - 1);
      await insertKeys(tx, salt, start, end, admin?.id ?? null);
      if (end === keyCount || (end / KEY_BATCH) % 8 === 0)
        log(`  ${end.toLocaleString('en')} / ${keyCount.toLocaleString('en')} keys after ${elapsed()}`);
    }
    for (const index of rebuild) await tx.execute(sql.raw(index.definition));
    if (rebuild.length) log(`  ${rebuild.length} indexes rebuilt after ${elapsed()}`);
  });
  // What autovacuum (PostgreSQL) or the embedded maintenance (PGlite) does after a bulk load, done
  // before the first page is asked for: fresh statistics, and the visibility map set (index-only scans).
  await db.execute(sql`vacuum (analyze) accounts, users, memberships, api_keys, audit_events`);
  return (Date.now() - started) / 1000;
}
