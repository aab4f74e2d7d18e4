import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const userRole = pgEnum('user_role', ['user', 'admin']);
export const accountType = pgEnum('account_type', ['prime', 'standard']);
export const membershipRole = pgEnum('membership_role', ['owner', 'member']);
export const apiKeyStatus = pgEnum('api_key_status', ['inactive', 'active']);
export const keyCreationStatus = pgEnum('key_creation_status', ['pending_confirmation', 'created', 'void']);
export const secondFactor = pgEnum('second_factor', ['sms', 'totp']);
export const messageChannel = pgEnum('message_channel', ['sms', 'email']);
export const challengePurpose = pgEnum('challenge_purpose', [
  'sign_in',
  'key_creation',
  'key_activation',
  'sms_enrolment',
  'two_factor_disable',
  'key_edit',
  'key_deletion',
  'admin_step_up',
  'notification_email',
  'lock_down',
  'key_rotation',
]);
export const challengeStatus = pgEnum('challenge_status', ['pending', 'passed', 'void']);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull().unique(), // stored lower-case
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: userRole('role').notNull().default('user'),
    // Bumped on password change, disable or "sign out everywhere": JWTs carrying an older value are dead.
    tokenVersion: integer('token_version').notNull().default(1),
    // Set by an administrator (lib/identity/disable-user.ts): no sign-in, every session ended.
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** Why, as the administrator typed it; shown in the admin lists and in the person's email. */
    disabledReason: text('disabled_reason'),
    phone: text('phone'),
    smsEnabledAt: timestamp('sms_enabled_at', { withTimezone: true }),
    totpSecretEnc: text('totp_secret_enc'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    // Highest TOTP time step accepted so far: a code from that step or earlier is a replay.
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    // Wrong second-factor codes in a row, across every challenge; a correct code resets it.
    // Every 10 impose a growing wait (until `secondFactorBlockedUntil`); 100 lock the second
    // factor (`secondFactorLockedAt`) until an administrator lifts it.
    secondFactorFailures: integer('second_factor_failures').notNull().default(0),
    secondFactorBlockedUntil: timestamp('second_factor_blocked_until', { withTimezone: true }),
    secondFactorLockedAt: timestamp('second_factor_locked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    // Prefix search by owner email in the admin views.
    index('users_email_prefix_idx').using('btree', sql`${t.email} text_pattern_ops`),
    // The People view's "only disabled" filter, in email order; few rows, so a small partial index.
    index('users_disabled_idx')
      .using('btree', sql`${t.email} text_pattern_ops`)
      .where(sql`${t.disabledAt} is not null`),
  ],
);

export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    type: accountType('type').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('accounts_name_prefix_idx').using('btree', sql`lower(${t.name}) text_pattern_ops`)],
);

// A user belongs to one account today; the table allows several.
export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    role: membershipRole('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.accountId] }),
    index('memberships_account_idx').on(t.accountId),
    // An account's first owner, read for each row of the admin lists: an index-only probe, no sort.
    index('memberships_owner_idx')
      .on(t.accountId, t.createdAt, t.userId)
      .where(sql`${t.role} = 'owner'`),
  ],
);

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
    // Prefix search by name and by public key.
    index('api_keys_name_prefix_idx').using('btree', sql`lower(${t.name}) text_pattern_ops`),
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

// One second-factor step: a code sent by SMS/email, or a TOTP prompt, for one purpose and subject.
export const challenges = pgTable(
  'challenges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: challengePurpose('purpose').notNull(),
    // The row the challenge guards (a key creation, an API key) — checked against purpose by callers.
    subjectId: uuid('subject_id'),
    method: text('method', { enum: ['sms', 'email', 'totp'] }).notNull(),
    // Where an SMS went (for enrolment, a number not yet on the user).
    destination: text('destination'),
    codeHash: text('code_hash'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    // Set when a code was held back (nothing was sent): why, and when one can be sent.
    sendHeldBack: text('send_held_back', { enum: ['hourly_cap', 'wrong_codes', 'locked'] }),
    sendBlockedUntil: timestamp('send_blocked_until', { withTimezone: true }),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    status: challengeStatus('status').notNull().default('pending'),
    createdAt: createdAt(),
  },
  (t) => [index('challenges_subject_idx').on(t.userId, t.purpose, t.subjectId)],
);

// Part-way through a sign-in that needs a second factor; the browser holds `token` in a cookie.
export const signInAttempts = pgTable('sign_in_attempts', {
  id: uuid('id').primaryKey().defaultRandom(),
  tokenHash: text('token_hash').notNull().unique(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  challengeId: uuid('challenge_id').references(() => challenges.id, { onDelete: 'set null' }),
  callbackUrl: text('callback_url').notNull().default('/settings'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  createdAt: createdAt(),
});

// One signed-in browser (its id is in the session cookie). Ended rows and rows of expired sessions
// are kept 90 days: they are the memory of the addresses and browsers a person signs in from.
export const userSessions = pgTable(
  'user_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    userAgent: text('user_agent'),
    // "Chrome on Android": the browser and system without a version, which changes with updates.
    device: text('device').notNull(),
    ip: text('ip'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId, t.createdAt)],
);

// The one-time "This wasn't me" link of a security email: only a hash of its token is kept.
export const notMeLinks = pgTable(
  'not_me_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('not_me_links_user_idx').on(t.userId, t.createdAt)],
);

export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channel: messageChannel('channel').notNull(),
    destination: text('destination').notNull(),
    /** The text part of an email, or the SMS. */
    body: text('body').notNull(),
    // Emails only (lib/messaging/email-template.ts renders all three parts); null for SMS.
    subject: text('subject'),
    html: text('html'),
    createdAt: createdAt(),
    // Delivery by a real transport (lib/messaging/dispatcher.ts). A row is due while
    // next_attempt_at is set; it stays null for outbox-only rows, so turning a transport on later
    // never sends old demo messages. Delivered or given up, it is null again, the body redacted and the HTML dropped.
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    index('outbox_user_idx').on(t.userId, t.createdAt),
    index('outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.nextAttemptAt} is not null`),
  ],
);

// Append-only: the application inserts and never updates or deletes.
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    accountId: uuid('account_id'),
    apiKeyId: uuid('api_key_id'),
    action: text('action').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    success: boolean('success').notNull().default(true),
  },
  (t) => [
    index('audit_at_idx').on(t.at, t.id),
    index('audit_account_idx').on(t.accountId, t.at),
    index('audit_key_idx').on(t.apiKeyId, t.at),
    index('audit_actor_idx').on(t.actorUserId, t.at),
    index('audit_action_idx').on(t.action, t.at),
  ],
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

/**
 * A person's email choices (Settings › Notifications); no row means the defaults: reminders on,
 * no second address. Security emails are not a choice. The second address receives key events
 * and reminders only once `second_email_confirmed_at` is set, by a code sent to it.
 */
export const notificationSettings = pgTable('notification_settings', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  remindersEnabled: boolean('reminders_enabled').notNull().default(true),
  secondEmail: text('second_email'),
  secondEmailConfirmedAt: timestamp('second_email_confirmed_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
