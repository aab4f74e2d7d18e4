import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts, users } from './console-schema';

/**
 * The API keys and the steps around them: a creation or a change asked for and waiting for its
 * second factor, and the reminders sent about a key. The people and accounts that own keys are in
 * ./console-schema.ts; how keys are used, in ./usage-schema.ts.
 */

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const apiKeyStatus = pgEnum('api_key_status', ['inactive', 'active']);
export const keyCreationStatus = pgEnum('key_creation_status', ['pending_confirmation', 'created', 'void']);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    publicKey: text('public_key').notNull().unique(),
    // AES-256-GCM, bound to public_key as associated data; see lib/crypto.ts.
    secretEnc: text('secret_enc').notNull(),
    /**
     * The secret a rotation replaced, sealed like secret_enc, still accepted until
     * previous_secret_expires_at (lib/keys/rotate.ts); both null when there is none.
     */
    previousSecretEnc: text('previous_secret_enc'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    permissions: text('permissions').array().notNull(),
    ipWhitelist: text('ip_whitelist').array().notNull(),
    status: apiKeyStatus('status').notNull().default('inactive'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    lastUsedIp: text('last_used_ip'),
    /** Optional: after this instant the key stops working and shows as expired. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** Set by an administrator; the owner cannot activate a suspended key. */
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    suspensionReason: text('suspension_reason'),
    /** Revoked by an administrator: permanent, the key never works again. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revocationReason: text('revocation_reason'),
  },
  (t) => [
    uniqueIndex('api_keys_account_name_uq').on(t.accountId, sql`lower(${t.name})`),
    index('api_keys_account_created_idx').on(t.accountId, t.createdAt),
    // Keyset pagination of the admin list, one index per sort order (ties broken by id).
    index('api_keys_created_id_idx').on(t.createdAt, t.id),
    index('api_keys_updated_id_idx').on(t.updatedAt, t.id),
    index('api_keys_last_used_id_idx').on(t.lastUsedAt, t.id),
    // Prefix search by name and by public key. The name index also holds the name and the id, so
    // the search's count (up to the cap) is an index-only scan: a common prefix ("tr": trading-bot,
    // treasury…) otherwise made PostgreSQL scan the table through a small ring buffer, every time.
    index('api_keys_name_prefix_idx').using('btree', sql`lower(${t.name}) text_pattern_ops`, t.name, t.id),
    index('api_keys_public_key_prefix_idx').using('btree', sql`${t.publicKey} text_pattern_ops`),
    // The admin status filters: few keys are revoked or suspended.
    index('api_keys_revoked_idx')
      .on(t.revokedAt)
      .where(sql`${t.revokedAt} is not null`),
    // The sweep of rotated-away secrets whose grace is over (lib/keys/rotate.ts): few keys have one.
    index('api_keys_previous_secret_idx')
      .on(t.previousSecretExpiresAt)
      .where(sql`${t.previousSecretExpiresAt} is not null`),
    index('api_keys_suspended_idx')
      .on(t.suspendedAt)
      .where(sql`${t.suspendedAt} is not null`),
    // The reminder job (lib/keys/reminders.ts) reads windows of these, never the whole table.
    index('api_keys_expires_idx')
      .on(t.expiresAt)
      .where(sql`${t.expiresAt} is not null`),
    index('api_keys_never_activated_idx')
      .on(t.createdAt)
      .where(sql`${t.activatedAt} is null`),
  ],
);

/**
 * An edit or deletion of a key asked for but not yet confirmed by a second factor. `changes`
 * holds the new name, permissions, whitelist and expiry of an edit.
 */
export const keyChanges = pgTable(
  'key_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['edit', 'delete', 'rotate'] }).notNull(),
    changes: jsonb('changes').$type<{ name: string; permissions: string[]; ipWhitelist: string[]; expiresAt: string | null }>(),
    /** An edit that adds access: applying it leaves the key inactive until re-activated. */
    widens: boolean('widens').notNull().default(false),
    /** A rotation: how long the replaced secret keeps working, in seconds (0: not at all). */
    graceSeconds: integer('grace_seconds'),
    /** A rotation: set when its new secret was shown; the reveal page never shows it again. */
    secretRevealedAt: timestamp('secret_revealed_at', { withTimezone: true }),
    status: text('status', { enum: ['pending_confirmation', 'applied', 'void'] })
      .notNull()
      .default('pending_confirmation'),
    createdAt: createdAt(),
  },
  (t) => [index('key_changes_key_idx').on(t.apiKeyId, t.status)],
);

// A key asked for but not yet confirmed by a second factor: not a key until then.
export const keyCreations = pgTable(
  'key_creations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    permissions: text('permissions').array().notNull(),
    ipWhitelist: text('ip_whitelist').array().notNull(),
    /** The expiry the owner chose, computed when they asked (null: never); copied to the key. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    status: keyCreationStatus('status').notNull().default('pending_confirmation'),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
    // Set when the secret was rendered; the reveal page never shows it again.
    secretRevealedAt: timestamp('secret_revealed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('key_creations_user_idx').on(t.userId, t.status)],
);

/**
 * Each reminder sent about a key (lib/keys/reminders.ts): written in the transaction that queues
 * its emails, and unique, so however many processes run the job and however often they restart,
 * a reminder goes out once. `due_for` is the instant it was about (the expiry, or the creation
 * for never-activated keys): a key given a new expiry date earns new reminders.
 */
export const keyReminders = pgTable(
  'key_reminders',
  {
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['expires_in_7_days', 'expires_in_1_day', 'expired', 'not_activated'] }).notNull(),
    dueFor: timestamp('due_for', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.kind, t.dueFor] })],
);
