import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiKeys } from './keys-schema';

/*
 * How each API key is used (lib/api/usage.ts writes, lib/api/usage-rollup.ts rolls up and prunes).
 * Every process counts in memory and adds its counts with upserts, so several processes simply sum.
 * `outcome` is 'accepted' or a refusal reason (lib/api/refusals.ts).
 */

/** Calls per key, minute, action and outcome; kept 48 h. `rolled_calls` is the part already added to the hour rows. */
export const apiKeyUsageMinutes = pgTable(
  'api_key_usage_minutes',
  {
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    minute: timestamp('minute', { withTimezone: true }).notNull(),
    action: text('action').notNull(),
    outcome: text('outcome').notNull(),
    calls: integer('calls').notNull(),
    rolledCalls: integer('rolled_calls').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.apiKeyId, t.minute, t.action, t.outcome] }),
    index('api_key_usage_minutes_minute_idx').on(t.minute),
    // The roll-up's work list: rows with calls not yet in the hour rows.
    index('api_key_usage_minutes_unrolled_idx')
      .on(t.minute)
      .where(sql`${t.calls} > ${t.rolledCalls}`),
  ],
);

/** The minute rows summed per hour; kept 90 days. */
export const apiKeyUsageHours = pgTable(
  'api_key_usage_hours',
  {
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    action: text('action').notNull(),
    outcome: text('outcome').notNull(),
    calls: bigint('calls', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.hour, t.action, t.outcome] }), index('api_key_usage_hours_hour_idx').on(t.hour)],
);

/** Each address a key was used from (accepted or refused), with first and last seen. */
export const apiKeyAddresses = pgTable(
  'api_key_addresses',
  {
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    address: text('address').notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    accepted: bigint('accepted', { mode: 'number' }).notNull().default(0),
    refused: bigint('refused', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.address] }), index('api_key_addresses_last_seen_idx').on(t.lastSeenAt)],
);

/**
 * The recent refused calls of a key (the last 50, 7 days): when, from where, which action, why.
 * `detail` holds only what explains the reason (a clock offset, a permission, a limit) — never the
 * secret, the signature or the body.
 */
export const apiKeyRefusals = pgTable(
  'api_key_refusals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    address: text('address'),
    action: text('action').notNull(),
    transport: text('transport', { enum: ['rest', 'ws'] }).notNull(),
    reason: text('reason').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('api_key_refusals_key_at_idx').on(t.apiKeyId, t.at), index('api_key_refusals_at_idx').on(t.at)],
);

/**
 * When usage counting began on this database (one row, written by the migration): a key older
 * than that has no record of its earlier calls, so "unused for 30 days" counts from here.
 */
export const apiUsageTracking = pgTable('api_usage_tracking', {
  id: boolean('id').primaryKey().default(true),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
});
