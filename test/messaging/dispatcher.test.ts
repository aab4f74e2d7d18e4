import { captureLogs } from '../support/log-capture';
import { randomInt } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db, type DbHandle } from '@/db/client';
import { outboxMessages, users } from '@/db/schema';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '@/test/support/databases';
import { MessageDispatcher, startMessageDispatcher, type DispatcherOptions } from '@/lib/messaging/dispatcher';
import { smsGatewayTransport, smtpTransport, type Transports } from '@/lib/messaging/transports';
import { emailMessage, messageSender, outboxSender, REDACTED, type Channel } from '@/lib/messaging/outbox';
import { renderEmail } from '@/lib/messaging/email-template';
import { startSmsGateway, startSmtpServer } from '../support/message-servers';

/**
 * The dispatcher on a real database (PGlite, or PostgreSQL with DATABASE_URL) against a real SMTP
 * server and a real HTTP SMS gateway on 127.0.0.1.
 */
let testDb: TestDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
let userId: string;
const bodiesSent: string[] = [];
let logged: string[] = [];

const MAIL_FROM = 'Keydesk <no-reply@keydesk.test>';

function transports(smsTimeoutMs?: number): Transports {
  return {
    email: smtpTransport({ url: new URL(smtp.url), from: MAIL_FROM, requireTls: false }),
    sms: smsGatewayTransport({ url: new URL(gateway.url), token: 'gw-token' }, smsTimeoutMs),
  };
}

function dispatcher(options: DispatcherOptions = {}, db: Db = testDb.db, smsTimeoutMs?: number): MessageDispatcher {
  return new MessageDispatcher(db, transports(smsTimeoutMs), { baseDelayMs: 200, ...options });
}

/** A code message (an email from the template, or an SMS), in its own transaction. */
async function sendCode(channel: Channel, destination: string, opts: { rollBack?: boolean } = {}): Promise<string> {
  const body = `${String(randomInt(1_000_000)).padStart(6, '0')} is your Keydesk sign-in code. It expires in 5 minutes.`;
  bodiesSent.push(body);
  await testDb.db
    .transaction(async (tx) => {
      const email = renderEmail({
        subject: 'Your Keydesk sign-in code',
        heading: 'Sign in',
        blocks: [{ kind: 'paragraph', text: body }],
        footer: 'Keydesk',
      });
      await messageSender().send(
        tx,
        channel === 'email' ? emailMessage(userId, destination, email) : { userId, channel, destination, body },
      );
      if (opts.rollBack) throw new Error('the step failed after sending');
    })
    .catch((error: unknown) => {
      if (!opts.rollBack) throw error;
    });
  return body;
}

const rowsTo = (destination: string) => testDb.db.select().from(outboxMessages).where(eq(outboxMessages.destination, destination));

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Milliseconds from the database's now() to a row's next attempt. */
async function msUntilNextAttempt(id: string): Promise<number> {
  const [row] = await testDb.db
    .select({ ms: sql<string>`extract(epoch from ${outboxMessages.nextAttemptAt} - clock_timestamp()) * 1000` })
    .from(outboxMessages)
    .where(eq(outboxMessages.id, id));
  return Number(row.ms);
}

beforeAll(async () => {
  logged = captureLogs();
  [testDb, smtp, gateway] = await Promise.all([createTestDatabase(), startSmtpServer(), startSmsGateway()]);
  [{ id: userId }] = await testDb.db
    .insert(users)
    .values({ email: 'alice@example.com', name: 'Alice', passwordHash: 'x' })
    .returning({ id: users.id });
  process.env.KEYDESK_SMTP_URL = smtp.url;
  process.env.KEYDESK_MAIL_FROM = MAIL_FROM;
  process.env.KEYDESK_SMS_GATEWAY_URL = gateway.url;
  process.env.KEYDESK_SMS_GATEWAY_TOKEN = 'gw-token';
});

beforeEach(() => {
  gateway.mode = 'ok';
  gateway.delayMs = 0;
});

afterEach(async () => {
  // Leaves nothing due behind for the next test's dispatcher to pick up.
  await testDb.db.delete(outboxMessages);
  gateway.requests.length = 0;
  smtp.received.length = 0;
});

afterAll(async () => {
  for (const name of ['KEYDESK_SMTP_URL', 'KEYDESK_MAIL_FROM', 'KEYDESK_SMS_GATEWAY_URL', 'KEYDESK_SMS_GATEWAY_TOKEN'])
    delete process.env[name];
  await Promise.all([testDb?.dispose(), smtp?.close(), gateway?.close()]);
  vi.restoreAllMocks();
});

describe('message dispatcher', () => {
  it('delivers a committed message once, woken by its NOTIFY, and redacts the body', async () => {
    // A poll of a minute: only the NOTIFY sent on commit can make this prompt.
    const running = await startMessageDispatcher(testDb, transports(), { pollMs: 60_000 });
    try {
      const body = await sendCode('sms', '+15550000001');
      const [row] = await waitFor(
        () => rowsTo('+15550000001'),
        ([r]) => r?.deliveredAt != null,
      );
      expect(row).toMatchObject({ body: REDACTED.delivered, attempts: 1, nextAttemptAt: null, lastError: null });
      expect(gateway.requests).toEqual([
        { method: 'POST', authorization: 'Bearer gw-token', contentType: 'application/json', json: { to: '+15550000001', body } },
      ]);

      const mailBody = await sendCode('email', 'bob@example.com');
      const [mail] = await waitFor(
        () => rowsTo('bob@example.com'),
        ([r]) => r?.deliveredAt != null,
      );
      // The HTML part holds the code too: it goes with the body; the subject says no secret and stays.
      expect(mail).toMatchObject({ body: REDACTED.delivered, html: null, subject: 'Your Keydesk sign-in code' });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0].raw).toMatch(/^Subject: Your Keydesk sign-in code\r?$/m);
      expect(smtp.received[0].raw).toMatch(/^Content-Type: text\/html/m);
      expect(smtp.received[0].to).toEqual(['bob@example.com']);
      expect(smtp.received[0].raw).toContain(mailBody);
    } finally {
      await running.stop();
    }
    expect(await dispatcher().deliverDue()).toBe(0);
    expect(gateway.requests).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
  });

  it('sends nothing for a rolled-back step', async () => {
    await sendCode('sms', '+15550000002', { rollBack: true });
    expect(await rowsTo('+15550000002')).toEqual([]);
    expect(await dispatcher().deliverDue()).toBe(0);
    expect(gateway.requests).toEqual([]);
  });

  it('never sends a message stored while only the outbox was configured', async () => {
    await testDb.db.transaction((tx) =>
      outboxSender.send(tx, { userId, channel: 'sms', destination: '+15550000003', body: 'an old demo code' }),
    );
    expect(await dispatcher().deliverDue()).toBe(0);
    expect(gateway.requests).toEqual([]);
  });

  it('delivers each message exactly once when two dispatchers race on the database', async () => {
    const count = 40;
    for (let i = 0; i < count; i++) await sendCode('sms', `+1555100${String(i).padStart(4, '0')}`);
    gateway.delayMs = 5; // sends overlap the other dispatcher's claims
    // On PostgreSQL the second dispatcher has its own connection pool: the claims really race.
    const other: DbHandle | null = testDb.kind === 'postgres' ? openDatabase({ url: testDatabaseUrl(testDb.name) }) : null;
    try {
      const [a, b] = await Promise.all([
        dispatcher({ batchSize: 4 }).deliverDue(),
        dispatcher({ batchSize: 4 }, other?.db ?? testDb.db).deliverDue(),
      ]);
      expect(a + b).toBe(count);
      if (other) expect(Math.min(a, b)).toBeGreaterThan(0);
    } finally {
      await other?.close();
    }
    const sentTo = gateway.requests.map((r) => (r.json as { to: string }).to);
    expect(sentTo).toHaveLength(count);
    expect(new Set(sentTo).size).toBe(count);
    const rows = await testDb.db
      .select({ attempts: outboxMessages.attempts, body: outboxMessages.body, deliveredAt: outboxMessages.deliveredAt })
      .from(outboxMessages);
    expect(rows).toHaveLength(count);
    for (const row of rows) expect(row).toMatchObject({ attempts: 1, body: REDACTED.delivered, deliveredAt: expect.any(Date) });
  });

  it('retries a failing gateway with exponential backoff, then gives up and keeps the error', async () => {
    gateway.mode = 'fail';
    const d = dispatcher({ baseDelayMs: 300, maxAttempts: 3 });
    await sendCode('sms', '+15550000004');
    const [{ id }] = await rowsTo('+15550000004');

    expect(await d.deliverDue()).toBe(1);
    let [row] = await rowsTo('+15550000004');
    expect(row).toMatchObject({ attempts: 1, lastError: 'SMS gateway answered 500', deliveredAt: null });
    expect(row.body).not.toMatch(/^\[/); // still there, for the next attempt
    expect(await msUntilNextAttempt(id)).toBeGreaterThan(150);
    expect(await d.deliverDue()).toBe(0); // not due yet
    expect(gateway.requests).toHaveLength(1);

    [row] = await waitFor(
      async () => (await d.deliverDue(), rowsTo('+15550000004')),
      ([r]) => r.attempts === 2,
    );
    expect(await msUntilNextAttempt(id)).toBeGreaterThan(450); // 600 ms: twice the first wait
    expect(gateway.requests).toHaveLength(2);

    [row] = await waitFor(
      async () => (await d.deliverDue(), rowsTo('+15550000004')),
      ([r]) => r.attempts === 3,
    );
    expect(row).toMatchObject({
      attempts: 3,
      nextAttemptAt: null,
      deliveredAt: null,
      body: REDACTED.notDelivered,
      lastError: 'SMS gateway answered 500',
    });
    expect(gateway.requests).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 1_300));
    expect(await d.deliverDue()).toBe(0);
    expect(gateway.requests).toHaveLength(3);
  });

  it('counts a gateway that hangs past the timeout as a failed attempt', async () => {
    gateway.mode = 'hang';
    await sendCode('sms', '+15550000005');
    expect(await dispatcher({}, testDb.db, 250).deliverDue()).toBe(1);
    const [row] = await rowsTo('+15550000005');
    expect(row).toMatchObject({ attempts: 1, lastError: 'SMS gateway did not answer within 250 ms', deliveredAt: null });
  });

  it('does not keep the code of a channel that has no transport', async () => {
    delete process.env.KEYDESK_SMS_GATEWAY_URL;
    delete process.env.KEYDESK_SMS_GATEWAY_TOKEN;
    try {
      await sendCode('sms', '+15550000006');
    } finally {
      process.env.KEYDESK_SMS_GATEWAY_URL = gateway.url;
      process.env.KEYDESK_SMS_GATEWAY_TOKEN = 'gw-token';
    }
    const [row] = await rowsTo('+15550000006');
    expect(row).toMatchObject({ body: REDACTED.noTransport, nextAttemptAt: null, lastError: 'no sms transport is configured' });
    expect(await dispatcher().deliverDue()).toBe(0);
  });

  it('logged the channel and a masked destination, never a body, a code or a full destination', () => {
    expect(logged.some((line) => line.includes('"channel":"sms","to":"+15***01"') && line.includes('message delivered'))).toBe(true);
    expect(logged.some((line) => line.includes('"channel":"email","to":"b***@example.com"') && line.includes('message delivered'))).toBe(
      true,
    );
    expect(logged.some((line) => /SMS gateway answered 500.*giving up/.test(line))).toBe(true);
    const codes = bodiesSent.map((body) => body.slice(0, 6));
    for (const line of logged) {
      for (const body of bodiesSent) expect(line).not.toContain(body);
      for (const code of codes) expect(line).not.toContain(code);
      expect(line).not.toMatch(/\+1555\d{7}/);
    }
  });
});
