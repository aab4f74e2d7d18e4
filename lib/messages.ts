import type { Db, Tx } from '@/db/client';
import { outboxMessages } from '@/db/schema';

export type Channel = 'sms' | 'email';

export interface OutgoingMessage {
  userId: string;
  channel: Channel;
  destination: string;
  body: string;
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

/** Stores messages for /dev/outbox. Logs that a message went out, never what it said. */
export const outboxSender: MessageSender = {
  async send(tx, message) {
    await tx.insert(outboxMessages).values(message);
    console.info(`[outbox] ${message.channel} message to ${maskDestination(message.destination)}`);
  },
};

/**
 * The only sender today is the outbox; real SMTP / SMS-gateway senders would be chosen here from
 * the environment, and /dev/outbox turns itself off when they are.
 */
export function messageSender(): MessageSender {
  return outboxSender;
}

export function outboxEnabled(): boolean {
  return messageSender() === outboxSender;
}
