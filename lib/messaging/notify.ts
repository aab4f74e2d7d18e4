import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { accounts, memberships, notificationSettings, users } from '@/db/schema';
import { issueNotMeLink, notMePath } from '@/lib/identity/not-me-links';
import type { RequestContext } from '@/lib/platform/audit';
import { appUrl } from '@/lib/platform/config';
import { emailMessage, messageSender } from './outbox';
import { securityEmail, type SecurityEvent } from './security-notices';

/**
 * Security emails, queued in the caller's transaction (the outbox is a table): the email exists
 * exactly when the change it reports was committed, and a change that rolls back tells nobody.
 * Call after the change's audit row, with the same request context.
 */

export interface NoticeOptions {
  /** The change's own time; default now. */
  at?: Date;
  /** An administrator made the change (suspend, lift, revoke). */
  byAdministrator?: boolean;
}

export interface Recipient {
  /** Whose outbox it is in: the owner's, also for their second address. */
  id: string;
  email: string;
  accountName: string | null;
  /** The account whose keys a "This wasn't me" link may deactivate: one the recipient owns. */
  ownedAccountId: string | null;
}

async function send(tx: Tx, ctx: RequestContext, recipients: Recipient[], event: SecurityEvent, options: NoticeOptions) {
  const at = options.at ?? new Date();
  const base = appUrl().replace(/\/+$/, '');
  for (const recipient of recipients) {
    // What an administrator did is not the reader's to disown; everything else carries the link.
    const notMeHref = options.byAdministrator
      ? undefined
      : base + notMePath(await issueNotMeLink(tx, recipient.id, recipient.ownedAccountId, at));
    const email = securityEmail(event, {
      notMeHref,
      recipientEmail: recipient.email,
      accountName: recipient.accountName,
      at,
      request: ctx,
      byAdministrator: options.byAdministrator,
      appUrl: appUrl(),
    });
    await messageSender().send(tx, emailMessage(recipient.id, recipient.email, email));
  }
}

/**
 * Who hears about a key of an account: its owners (one today; the tables allow several), each
 * also at the second address they confirmed (Settings › Notifications). `reminders` keeps only
 * the owners who have not turned reminders off; security emails cannot be turned off.
 */
export async function keyEmailRecipients(tx: Tx, accountId: string, opts: { reminders?: boolean } = {}): Promise<Recipient[]> {
  const owners = await tx
    .select({
      id: users.id,
      email: users.email,
      accountName: accounts.name,
      ownedAccountId: accounts.id,
      remindersEnabled: notificationSettings.remindersEnabled,
      secondEmail: notificationSettings.secondEmail,
      secondEmailConfirmedAt: notificationSettings.secondEmailConfirmedAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .leftJoin(notificationSettings, eq(notificationSettings.userId, users.id))
    .where(and(eq(memberships.accountId, accountId), eq(memberships.role, 'owner')))
    .orderBy(asc(users.email));
  return owners
    .filter((owner) => !opts.reminders || owner.remindersEnabled !== false)
    .flatMap(({ id, email, accountName, ownedAccountId, secondEmail, secondEmailConfirmedAt }) => [
      { id, email, accountName, ownedAccountId },
      // An address nobody proved they read gets nothing.
      ...(secondEmail && secondEmailConfirmedAt ? [{ id, email: secondEmail, accountName, ownedAccountId }] : []),
    ]);
}

/** Key events go to the owners of the key's account, and to the second addresses they confirmed. */
export async function notifyAccountOwners(
  tx: Tx,
  ctx: RequestContext,
  accountId: string,
  event: SecurityEvent,
  options: NoticeOptions = {},
): Promise<void> {
  await send(tx, ctx, await keyEmailRecipients(tx, accountId), event, options);
}

/** Events of a person's own sign-in (2FA, password, sessions) go to that person. */
export async function notifyUser(tx: Tx, ctx: RequestContext, userId: string, event: SecurityEvent, options: NoticeOptions = {}) {
  const rows = await tx
    .select({
      id: users.id,
      email: users.email,
      accountName: accounts.name,
      ownedAccountId: sql<string | null>`case when ${memberships.role} = 'owner' then ${accounts.id} end`,
    })
    .from(users)
    .leftJoin(memberships, eq(memberships.userId, users.id))
    .leftJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(eq(users.id, userId))
    .limit(1);
  await send(tx, ctx, rows, event, options);
}
