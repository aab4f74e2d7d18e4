import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const userRole = pgEnum('user_role', ['user', 'admin']);
export const accountType = pgEnum('account_type', ['prime', 'standard']);
export const membershipRole = pgEnum('membership_role', ['owner', 'member']);
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
