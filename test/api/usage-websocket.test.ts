import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiKeyRefusals, apiKeys, apiKeyUsageMinutes } from '@/db/schema';
import { findKeyUsage } from '@/db/queries/key-usage';
import { ApiGateway } from '@/lib/api/gateway';
import { refusalText } from '@/lib/api/refusals';
import { wsSignature } from '@/lib/api/signing';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { startWsServer } from '../support/api';
import { makeKey, type KeyFields, type TestKey } from '../support/keys';

/** The same refusals recorded and explained over the WebSocket API (the server sees 127.0.0.1). */

let handle: TestDatabase;
let gateway: ApiGateway;
let server: Awaited<ReturnType<typeof startWsServer>>;
let atlas: string;

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  gateway = new ApiGateway(() => handle.db);
  server = await startWsServer(handle, gateway);
  atlas = await accountIdOf(handle.db, 'Atlas Capital');
});
afterAll(async () => {
  await server?.close();
  await handle?.dispose();
});

type Message = Record<string, unknown> & { e: string; oid?: string };

/** Connects, sends each message after the previous one's answer (same oid), and returns the answers. */
async function exchange(messages: Record<string, unknown>[]): Promise<Message[]> {
  const ws = new WebSocket(server.url);
  const answers: Message[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer; got ${JSON.stringify(answers)}`)), 5000);
    let next = 0;
    const sendNext = () => {
      if (next === messages.length) {
        clearTimeout(timer);
        ws.close();
        return resolve();
      }
      ws.send(JSON.stringify(messages[next++]));
    };
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Message;
      if (message.e === 'connected') return sendNext();
      if (message.oid === undefined) return;
      answers.push(message);
      sendNext();
    });
    ws.on('error', reject);
  });
  return answers;
}

const auth = (k: TestKey, timestamp = Math.floor(Date.now() / 1000), signature = wsSignature(k.secret, timestamp, k.publicKey)) => ({
  e: 'auth',
  oid: 'auth',
  auth: { key: k.publicKey, timestamp, signature },
});

const key = (fields: Partial<KeyFields> = {}) => makeKey(handle.db, { accountId: atlas, ...fields });

async function usageOf(k: TestKey) {
  await gateway.usage.flush();
  return findKeyUsage(handle.db, atlas, k.id);
}

describe('WebSocket: refusals recorded and explained, one per reason', () => {
  it('signature (as the WebSocket signs it)', async () => {
    const k = await key();
    const [answer] = await exchange([auth(k, undefined, 'ab'.repeat(32))]);
    expect(answer.data).toEqual({ error: 'Invalid signature' });
    const usage = await usageOf(k);
    expect(usage.refusals).toMatchObject([{ transport: 'ws', action: 'auth', address: '127.0.0.1', reason: 'signature' }]);
    expect(usage.refusals.map(refusalText)).toEqual([
      'signature does not match: check that you sign timestamp + API key (HMAC-SHA256, hex), with the secret as its UTF-8 text',
    ]);
  });

  it('credentials missing', async () => {
    const k = await key();
    await exchange([{ e: 'auth', oid: 'auth', auth: { key: k.publicKey } }]);
    expect((await usageOf(k)).refusals.map(refusalText)).toEqual([
      expect.stringMatching(/^the auth message has no signature or timestamp: /),
    ]);
  });

  it('timestamp, against the 20 s window', async () => {
    const k = await key();
    const [answer] = await exchange([auth(k, Math.floor(Date.now() / 1000) - 300)]);
    expect(answer.data).toEqual({ error: 'Timestamp is not in 20sec range' });
    expect((await usageOf(k)).refusals.map(refusalText)).toEqual([
      expect.stringMatching(/^timestamp 30\d s behind the server \(window ±20 s\): /),
    ]);
  });

  it.each([
    ['not_activated', { status: 'inactive' as const }, /^the key has not been activated yet: /],
    ['expired', { expiresAt: new Date(Date.now() - 1000) }, /^the key has expired: /],
    ['suspended', { suspendedAt: new Date() }, /^the key is suspended by an administrator: /],
    ['revoked', { revokedAt: new Date() }, /^the key was revoked by an administrator, for good: /],
  ])('%s', async (reason, fields, text) => {
    const k = await key(fields);
    const [answer] = await exchange([auth(k)]);
    expect(answer.data).toEqual({ error: 'API key is not activated' });
    const usage = await usageOf(k);
    expect(usage.refusedBy).toEqual([{ reason, calls: 1 }]);
    expect(usage.refusals.map(refusalText)).toEqual([expect.stringMatching(text)]);
  });

  it('deactivated', async () => {
    const k = await key({ status: 'inactive' });
    await handle.db.update(apiKeys).set({ activatedAt: new Date() }).where(eq(apiKeys.id, k.id));
    await exchange([auth(k)]);
    expect((await usageOf(k)).refusals.map(refusalText)).toEqual([expect.stringMatching(/^the key is deactivated: /)]);
  });

  it('address not on the whitelist', async () => {
    const k = await key({ ipWhitelist: ['10.0.0.1'] });
    const [answer] = await exchange([auth(k)]);
    expect(answer.data).toEqual({ error: 'IP address is not allowed' });
    expect((await usageOf(k)).refusals.map(refusalText)).toEqual([
      expect.stringMatching(/^address 127\.0\.0\.1 is not on this key's whitelist: /),
    ]);
  });

  it('permission missing on a request after auth; the auth and the allowed request count as accepted', async () => {
    const k = await key({ permissions: ['read'] });
    const answers = await exchange([
      auth(k),
      { e: 'get_my_wallet_balance', oid: 'w1', data: {} },
      { e: 'do_deposit_funds_from_wallet', oid: 'd1', data: { clientTxId: 'ws-1', accountId: '', currency: 'USD', amount: '1' } },
    ]);
    expect(answers.map((a) => a.ok ?? (a.data as { error: string }).error)).toEqual([
      'ok',
      'ok',
      "Forbidden: the key lacks the 'funds_wallet' permission for do_deposit_funds_from_wallet",
    ]);
    const usage = await usageOf(k);
    expect(usage.refusals.map(refusalText)).toEqual([
      expect.stringMatching(/^the key lacks the Funds Wallet permission for do_deposit_funds_from_wallet: /),
    ]);
    expect(usage.refusals[0].transport).toBe('ws');
    expect(usage.actions).toEqual(
      expect.arrayContaining([
        { action: 'auth', accepted: 1, refused: 0 },
        { action: 'get_my_wallet_balance', accepted: 1, refused: 0 },
        { action: 'do_deposit_funds_from_wallet', accepted: 0, refused: 1 },
      ]),
    );
  });

  it('an unknown key is attributed to no one', async () => {
    const recorded = async () => (await handle.db.$count(apiKeyRefusals)) + (await handle.db.$count(apiKeyUsageMinutes));
    await gateway.usage.flush();
    const before = await recorded();
    const [answer] = await exchange([{ e: 'auth', oid: 'auth', auth: { key: 'kd_unknown', timestamp: 1, signature: 'x' } }]);
    expect(answer.data).toEqual({ error: 'Invalid API key' });
    await gateway.usage.flush();
    expect(await recorded()).toBe(before);
  });
});
