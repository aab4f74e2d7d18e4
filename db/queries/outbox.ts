import { desc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { outboxMessages } from '../schema';

export interface OutboxMessage {
  id: string;
  channel: 'sms' | 'email';
  destination: string;
  /** The SMS, or an email's plain-text part. */
  body: string;
  /** Emails: null for SMS (and for an email whose HTML was dropped once delivered). */
  subject: string | null;
  html: string | null;
  createdAt: Date;
}

export function listOutboxMessages(db: Db, userId: string, limit = 20): Promise<OutboxMessage[]> {
  return db
    .select({
      id: outboxMessages.id,
      channel: outboxMessages.channel,
      destination: outboxMessages.destination,
      body: outboxMessages.body,
      subject: outboxMessages.subject,
      html: outboxMessages.html,
      createdAt: outboxMessages.createdAt,
    })
    .from(outboxMessages)
    .where(eq(outboxMessages.userId, userId))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(limit);
}
