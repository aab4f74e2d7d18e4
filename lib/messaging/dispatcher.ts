import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db, DbHandle } from '@/db/client';
import { outboxMessages } from '@/db/schema';
import type { Transports } from './transports';
import { MESSAGE_QUEUED, REDACTED, maskDestination, type Channel } from './outbox';
import { errorText, log } from '@/lib/platform/log';

/**
 * Delivers queued `outbox_messages` rows after their transaction committed. Any number of app
 * processes may run one on the same database: a row is claimed atomically (FOR UPDATE SKIP LOCKED)
 * and leased, and only the claim's holder records the outcome.
 */
export interface DispatcherOptions {
  /** The safety net under NOTIFY, and how soon a retry that came due is noticed. */
  pollMs?: number;
  /** Retry n waits baseDelayMs · 2^(n-1). */
  baseDelayMs?: number;
  maxAttempts?: number;
  batchSize?: number;
  /**
   * How long a claim holds a row. The send happens outside any transaction (PGlite has a single
   * connection, and a slow server must not hold a lock), so if this process dies mid-send the row
   * comes due again once the lease ends. Longer than any transport timeout.
   */
  leaseMs?: number;
}

const DEFAULTS: Required<DispatcherOptions> = { pollMs: 5_000, baseDelayMs: 5_000, maxAttempts: 6, batchSize: 10, leaseMs: 120_000 };

/** Error text kept in last_error and logs: never the body, the code or the full destination. */
function describeFailure(error: unknown, message: { destination: string; body: string }): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split(message.body)
    .join('[body]')
    .split(message.destination)
    .join(maskDestination(message.destination))
    .replace(/\d{6,}/g, '[digits]') // a code, or a phone number, quoted back by a server
    .slice(0, 300);
}

const afterMs = (ms: number) => sql`now() + ${ms}::double precision * interval '1 millisecond'`;

type Claimed = {
  id: string;
  channel: Channel;
  destination: string;
  body: string;
  subject: string | null;
  html: string | null;
  attempts: number;
};

export class MessageDispatcher {
  private readonly options: Required<DispatcherOptions>;
  private readonly channels: Channel[];
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly transports: Transports,
    options: DispatcherOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.channels = (Object.keys(transports) as Channel[]).filter((c) => transports[c]);
  }

  /** Delivers everything due now, batch by batch; resolves when nothing due is left. */
  async deliverDue(): Promise<number> {
    let handled = 0;
    for (;;) {
      const batch = await this.claim();
      if (batch.length === 0) return handled;
      await Promise.all(batch.map((message) => this.deliver(message)));
      handled += batch.length;
    }
  }

  /** Runs a pass now, or once more after the one under way: wake-ups never overlap or get lost. */
  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.deliverDue();
      } while (this.again);
    })()
      .catch((error: unknown) => log.error({ err: errorText(error) }, 'message delivery pass failed'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Resolves once the pass under way (if any) is over. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async claim(): Promise<Claimed[]> {
    if (this.channels.length === 0) return [];
    const due = this.db
      .select({ id: outboxMessages.id })
      .from(outboxMessages)
      .where(and(lte(outboxMessages.nextAttemptAt, sql`now()`), inArray(outboxMessages.channel, this.channels)))
      .orderBy(asc(outboxMessages.nextAttemptAt))
      .limit(this.options.batchSize)
      .for('update', { skipLocked: true });
    return this.db
      .update(outboxMessages)
      .set({ attempts: sql`${outboxMessages.attempts} + 1`, nextAttemptAt: afterMs(this.options.leaseMs) })
      .where(inArray(outboxMessages.id, due))
      .returning({
        id: outboxMessages.id,
        channel: outboxMessages.channel,
        destination: outboxMessages.destination,
        body: outboxMessages.body,
        subject: outboxMessages.subject,
        html: outboxMessages.html,
        attempts: outboxMessages.attempts,
      });
  }

  private async deliver(message: Claimed): Promise<void> {
    const to = maskDestination(message.destination);
    // Our claim only: if the lease ran out and another process claimed the row, attempts moved on.
    const ours = and(eq(outboxMessages.id, message.id), eq(outboxMessages.attempts, message.attempts));
    try {
      await this.transports[message.channel]!.deliver(message);
    } catch (error) {
      const lastError = describeFailure(error, message);
      const { maxAttempts, baseDelayMs } = this.options;
      if (message.attempts >= maxAttempts) {
        await this.db.update(outboxMessages).set({ nextAttemptAt: null, lastError, body: REDACTED.notDelivered, html: null }).where(ours);
        log.error({ channel: message.channel, to, attempts: message.attempts, lastError }, 'message not delivered: giving up');
        return;
      }
      const delay = baseDelayMs * 2 ** (message.attempts - 1);
      await this.db
        .update(outboxMessages)
        .set({ nextAttemptAt: afterMs(delay), lastError })
        .where(ours);
      log.warn(
        { channel: message.channel, to, attempt: message.attempts, maxAttempts, retryInSeconds: Math.round(delay / 1000), lastError },
        'message delivery failed: retrying',
      );
      return;
    }
    await this.db
      .update(outboxMessages)
      .set({ deliveredAt: sql`now()`, nextAttemptAt: null, body: REDACTED.delivered, html: null })
      .where(ours);
    log.info({ channel: message.channel, to }, 'message delivered');
  }
}

export interface RunningDispatcher {
  dispatcher: MessageDispatcher;
  /** Stops listening and polling, then waits for the sends under way. */
  stop(): Promise<void>;
}

/** Listens for MESSAGE_QUEUED and polls; a (re)established LISTEN also runs a pass, for what it missed. */
export async function startMessageDispatcher(
  handle: DbHandle,
  transports: Transports,
  options: DispatcherOptions = {},
): Promise<RunningDispatcher> {
  const dispatcher = new MessageDispatcher(handle.db, transports, options);
  const wake = () => void dispatcher.wake();
  const unlisten = await handle.listen(MESSAGE_QUEUED, wake, wake);
  const timer = setInterval(wake, options.pollMs ?? DEFAULTS.pollMs);
  timer.unref();
  return {
    dispatcher,
    stop: async () => {
      clearInterval(timer);
      await unlisten();
      await dispatcher.idle();
    },
  };
}
