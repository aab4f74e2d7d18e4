import { desc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { outboxMessages } from '../schema';

export interface OutboxMessage {
  id: string;
  channel: 'sms' | 'email';
  destination: string;
  body: string;
  createdAt: Date;
}

export function listOutboxMessages(db: Db, userId: string, limit = 20): Promise<OutboxMessage[]> {
  return db
    .select({
      id: outboxMessages.id,
      channel: outboxMessages.channel,
      destination: outboxMessages.destination,
      body: outboxMessages.body,
      createdAt: outboxMessages.createdAt,
    })
    .from(outboxMessages)
    .where(eq(outboxMessages.userId, userId))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(limit);
}
