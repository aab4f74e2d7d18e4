import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { outboxMessages } from '@/db/schema';
import { configuredChannels } from './channels';
import type { RenderedEmail } from './email-template';
import { log } from '@/lib/platform/log';

export type Channel = 'sms' | 'email';

export interface OutgoingMessage {
  userId: string;
  channel: Channel;
  destination: string;
  /** The SMS, or an email's plain-text part. */
  body: string;
  /** Emails only: rendered by lib/messaging/email-template.ts. */
  subject?: string;
  html?: string;
}

/** An email as the outbox stores it: its three parts, from the one template. */
export function emailMessage(userId: string, destination: string, email: RenderedEmail): OutgoingMessage {
  return { userId, channel: 'email', destination, body: email.text, subject: email.subject, html: email.html };
}

export interface MessageSender {
  /** Runs inside the caller's transaction: a message exists only if the step that sent it did. */
  send(tx: Db | Tx, message: OutgoingMessage): Promise<void>;
}

export function maskDestination(destination: string): string {
  if (destination.includes('@')) {
    const [local, domain] = destination.split('@');
    return `${local.slice(0, 1)}***@${domain}`;
  }
  return `${destination.slice(0, 3)}***${destination.slice(-2)}`;
}

/** Sent with each queued message, on commit: wakes the dispatchers (lib/messaging/dispatcher.ts) at once. */
export const MESSAGE_QUEUED = 'keydesk_message_queued';

/** What a body becomes once it is no use to anyone: a code must not linger in the database. */
export const REDACTED = { delivered: '[delivered]', notDelivered: '[not delivered]', noTransport: '[not sent: no transport]' } as const;

/** Stores messages for /dev/outbox. Logs that a message went out, never what it said. */
export const outboxSender: MessageSender = {
  async send(tx, message) {
    await tx.insert(outboxMessages).values(message);
    log.info({ channel: message.channel, to: maskDestination(message.destination) }, 'message stored in the demo outbox');
  },
};

/**
 * With real transports: the row is the queue (a transactional outbox). It becomes due — and the
 * NOTIFY is heard — only when the caller's transaction commits, so a rolled-back step sends nothing.
 */
export const queueSender: MessageSender = {
  async send(tx, message) {
    const to = maskDestination(message.destination);
    if (!configuredChannels().includes(message.channel)) {
      // Only the other channel has a transport: nothing can deliver this, so its code is not kept.
      await tx
        .insert(outboxMessages)
        .values({ ...message, body: REDACTED.noTransport, html: null, lastError: `no ${message.channel} transport is configured` });
      log.warn({ channel: message.channel, to }, 'message not sent: no transport is configured for its channel');
      return;
    }
    await tx.insert(outboxMessages).values({ ...message, nextAttemptAt: sql`now()` });
    await tx.execute(sql`select pg_notify(${MESSAGE_QUEUED}, ${message.channel})`);
    log.info({ channel: message.channel, to }, 'message queued');
  },
};

/** The outbox until a real transport is configured for either channel. */
export function messageSender(): MessageSender {
  return outboxEnabled() ? outboxSender : queueSender;
}

/** /dev/outbox shows message bodies: once real people receive real messages, it must be gone. */
export function outboxEnabled(): boolean {
  return configuredChannels().length === 0;
}
