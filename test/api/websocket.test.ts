import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { apiKeys } from '@/db/schema';
import { ApiGateway } from '@/lib/api/gateway';
import { eventHub, notifyAccountEvent, notifyKeyChanged } from '@/lib/platform/events';
import { wsSignature } from '@/lib/api/signing';
import { startWsServer } from '../support/api';
import { makeKey, type TestKey } from '../support/keys';

let handle: TestDatabase;
let server: Awaited<ReturnType<typeof startWsServer>>;
let atlas: string;

beforeAll(async () => {
  process.env.KEYDESK_WS_IDLE_SECONDS = '2';
  handle = await createSeededTestDatabase();
  server = await startWsServer(handle, new ApiGateway(() => handle.db));
  atlas = await accountIdOf(handle.db, 'Atlas Capital');
});
afterAll(async () => {
  await server?.close();
  await handle?.dispose();
  delete process.env.KEYDESK_WS_IDLE_SECONDS;
});

type Message = Record<string, unknown> & { e: string };

/** A client that records every message and can wait for the next one matching a test. */
async function connect(origin?: string, path = '/api/ws') {
  const ws = new WebSocket(server.url.replace('/api/ws', path), origin === undefined ? {} : { origin });
  const seen: Message[] = [];
  const waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Message;
    seen.push(message);
    const i = waiters.findIndex((w) => w.test(message));
    if (i >= 0) waiters.splice(i, 1)[0].resolve(message);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const next = (test: (m: Message) => boolean, timeoutMs = 4000) =>
    new Promise<Message>((resolve, reject) => {
      const already = seen.find(test);
      if (already) return resolve(already);
      const timer = setTimeout(() => reject(new Error(`no matching message; saw ${JSON.stringify(seen)}`)), timeoutMs);
      waiters.push({ test, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  await next((m) => m.e === 'connected');
  return { ws, seen, next, closed, send: (m: unknown) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)) };
}

function authMessage(key: TestKey, timestamp: number = Date.now() / 1000, secret = key.secret) {
  return { e: 'auth', auth: { key: key.publicKey, timestamp, signature: wsSignature(secret, timestamp, key.publicKey) }, oid: 'auth' };
}

/** The HTTP status the handshake ends with: 101 for an open socket, else the refusal's. */
function handshakeStatus(origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.url, { origin });
    ws.on('open', () => (ws.close(), resolve(101)));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', (error) => (error.message.includes('Unexpected server response') ? undefined : reject(error)));
  });
}

describe('WebSocket handshake: browsers from other sites are refused', () => {
  it('a foreign or opaque Origin gets 403 and no socket', async () => {
    expect(await handshakeStatus('https://evil.example')).toBe(403);
    expect(await handshakeStatus('null')).toBe(403);
  });

  it("the app's own pages and bots (no Origin) connect and authenticate", async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    for (const client of [await connect(new URL(server.url.replace(/^ws/, 'http')).origin), await connect()]) {
      client.send(authMessage(key));
      expect(await client.next((m) => m.e === 'auth')).toMatchObject({ ok: 'ok' });
      client.ws.close();
    }
  });
});

describe('WebSocket API', () => {
  it('greets, authenticates, answers requests with their oid, and pongs', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const client = await connect();
    client.send(authMessage(key));
    expect(await client.next((m) => m.e === 'auth')).toEqual({ e: 'auth', oid: 'auth', ok: 'ok', data: { ok: 'ok' } });
    client.send({ e: 'ping' });
    await client.next((m) => m.e === 'pong');
    client.send({ e: 'get_my_account_status_v3', oid: 'r1', data: {} });
    const reply = await client.next((m) => m.oid === 'r1');
    expect(reply).toMatchObject({
      e: 'get_my_account_status_v3',
      ok: 'ok',
      data: { balancesPerAccounts: { '': { USD: { balance: '250000.00' } } } },
    });
    client.ws.close();
  });

  it.each([
    ['Invalid API key', (k: TestKey) => ({ ...authMessage(k), auth: { ...authMessage(k).auth, key: 'kd_nope' } })],
    ['Invalid signature', (k: TestKey) => authMessage(k, Date.now() / 1000, 'wrong secret')],
    ['Timestamp is not in 20sec range', (k: TestKey) => authMessage(k, Date.now() / 1000 - 21)],
  ])('refuses auth: %s', async (error, build) => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const client = await connect();
    client.send(build(key));
    expect(await client.next((m) => m.e === 'auth')).toMatchObject({ data: { error } });
    client.ws.close();
  });

  it('refuses an inactive key as not activated, and requests before auth', async () => {
    const key = await makeKey(handle.db, { accountId: atlas, status: 'inactive' });
    const client = await connect();
    client.send({ e: 'get_my_wallet_balance', oid: 'early' });
    expect(await client.next((m) => m.oid === 'early')).toMatchObject({ data: { error: 'Please authorize first' } });
    client.send(authMessage(key));
    expect(await client.next((m) => m.e === 'auth')).toMatchObject({ data: { error: 'API key is not activated' } });
    client.ws.close();
  });

  it('answers a missing permission with an error reply on the same oid', async () => {
    const key = await makeKey(handle.db, { accountId: atlas, permissions: ['trade'] });
    const client = await connect();
    client.send(authMessage(key));
    await client.next((m) => m.e === 'auth' && m.ok === 'ok');
    client.send({ e: 'get_my_wallet_balance', oid: 'p1', data: {} });
    expect(await client.next((m) => m.oid === 'p1')).toMatchObject({
      e: 'get_my_wallet_balance',
      data: { error: expect.stringContaining('read') },
    });
    client.ws.close();
  });

  it('answers public actions on the private socket too, before and after auth, and stays open', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const client = await connect();
    client.send({ e: 'get_server_time', oid: 't1', data: {} });
    expect(await client.next((m) => m.oid === 't1')).toMatchObject({
      e: 'get_server_time',
      ok: 'ok',
      data: { timestamp: expect.any(Number) },
    });
    client.send(authMessage(key));
    await client.next((m) => m.e === 'auth' && m.ok === 'ok');
    client.send({ e: 'get_order_book', oid: 'b1', data: { pair: 'BTC-USD' } });
    expect(await client.next((m) => m.oid === 'b1')).toMatchObject({ e: 'get_order_book', ok: 'ok' });
    client.send({ e: 'get_order_book', oid: 'b2', data: { pair: 'DOGE-USD' } });
    expect(await client.next((m) => m.oid === 'b2')).toMatchObject({ e: 'get_order_book', data: { error: expect.any(String) } });
    client.send({ e: 'ping' });
    await client.next((m) => m.e === 'pong');
    expect(client.seen.some((m) => m.e === 'disconnected')).toBe(false);
    client.ws.close();
  });

  it('/api/ws-public serves market data with no key: public actions and order-book subscriptions', async () => {
    const client = await connect(undefined, '/api/ws-public');
    client.send({ e: 'get_server_time', oid: 'p1', data: {} });
    expect(await client.next((m) => m.oid === 'p1')).toMatchObject({ ok: 'ok', data: { timestamp: expect.any(Number) } });
    client.send({ e: 'order_book_subscribe', oid: 's1', data: { pair: 'BTC-USD' } });
    expect(await client.next((m) => m.oid === 's1')).toMatchObject({
      e: 'order_book_subscribe',
      ok: 'ok',
      data: { pair: 'BTC-USD', seqId: 0, bids: expect.any(Array), asks: expect.any(Array) },
    });
    client.send({ e: 'order_book_subscribe', oid: 's2', data: { pair: 'DOGE-USD' } });
    expect(await client.next((m) => m.oid === 's2')).toMatchObject({ data: { error: expect.stringContaining('pair') } });
    client.send({ e: 'order_book_unsubscribe', oid: 'u1', data: { pair: 'BTC-USD' } });
    expect(await client.next((m) => m.oid === 'u1')).toMatchObject({ ok: 'ok' });
    client.send({ e: 'get_my_wallet_balance', oid: 'x1', data: {} });
    expect(await client.next((m) => m.oid === 'x1')).toMatchObject({ data: { error: expect.stringContaining('/api/ws') } });
    client.send({ e: 'auth', oid: 'a1', auth: {} });
    expect(await client.next((m) => m.oid === 'a1')).toMatchObject({ data: { error: expect.stringContaining('public socket') } });
    client.send({ e: 'ping' });
    await client.next((m) => m.e === 'pong');
    client.ws.close();
  });

  it('a key lookup that fails (a NUL byte in the key) answers an auth error and the socket keeps serving', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const client = await connect();
    client.send({ ...authMessage(key), auth: { ...authMessage(key).auth, key: 'kd_\u0000nul' } });
    expect(await client.next((m) => m.e === 'auth')).toMatchObject({ data: { error: expect.any(String) } });
    client.send({ e: 'ping' });
    await client.next((m) => m.e === 'pong');
    client.send(authMessage(key));
    await client.next((m) => m.e === 'auth' && m.ok === 'ok');
    client.ws.close();
  });

  it('sockets closed while their auth loads keep no subscriptions', async () => {
    // A gateway whose key lookups take 200 ms, so every socket closes mid-auth.
    const slow = new ApiGateway(() => handle.db);
    const find = slow.keys.find.bind(slow.keys);
    slow.keys.find = async (publicKey) => (await new Promise((resolve) => setTimeout(resolve, 200)), find(publicKey));
    const slowServer = await startWsServer(handle, slow);
    const keys = await Promise.all(Array.from({ length: 20 }, () => makeKey(handle.db, { accountId: atlas })));
    const before = eventHub().subscriberCounts();
    await Promise.all(
      keys.map(async (key) => {
        const ws = new WebSocket(slowServer.url);
        await new Promise((resolve) => ws.once('message', resolve)); // connected
        ws.send(JSON.stringify(authMessage(key)));
        await new Promise((resolve) => setTimeout(resolve, 50));
        ws.terminate();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Earlier tests' sockets may still be closing: none may be added, some may be gone.
    const after = eventHub().subscriberCounts();
    expect(after.keyChanges).toBeLessThanOrEqual(before.keyChanges);
    expect(after.accountEvents).toBeLessThanOrEqual(before.accountEvents);
    await slowServer.close();
  });

  it('closes after an unknown event with an error then disconnected', async () => {
    const client = await connect();
    client.send({ e: 'get_the_moon', oid: 'x' });
    expect(await client.next((m) => m.oid === 'x')).toMatchObject({ data: { error: expect.stringContaining('Unknown') } });
    await client.next((m) => m.e === 'disconnected');
    await client.closed;
  });

  it('closes idle connections with disconnected', async () => {
    const client = await connect();
    await client.next((m) => m.e === 'disconnected', 5000);
    await client.closed;
  });

  it('closes the socket on a message over 64 KB', async () => {
    const client = await connect();
    client.send({ e: 'ping', pad: 'x'.repeat(70 * 1024) });
    expect(await client.closed).toBe(1009);
  });

  it('pushes account events to the account, and not to others', async () => {
    const mine = await makeKey(handle.db, { accountId: atlas });
    const other = await makeKey(handle.db, { accountId: await accountIdOf(handle.db, 'Borealis Markets') });
    const a = await connect();
    const b = await connect();
    a.send(authMessage(mine));
    b.send(authMessage(other));
    await a.next((m) => m.e === 'auth' && m.ok === 'ok');
    await b.next((m) => m.e === 'auth' && m.ok === 'ok');
    await notifyAccountEvent(handle.db, {
      accountId: atlas,
      e: 'account_update',
      data: { accountId: '', currency: 'BTC', balance: '1.4' },
    });
    expect(await a.next((m) => m.e === 'account_update')).toMatchObject({ ok: 'ok', data: { currency: 'BTC', balance: '1.4' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(b.seen.some((m) => m.e === 'account_update')).toBe(false);
    a.ws.close();
    b.ws.close();
  });

  it('closes open connections of a key the moment it is deactivated', async () => {
    const key = await makeKey(handle.db, { accountId: atlas });
    const client = await connect();
    client.send(authMessage(key));
    await client.next((m) => m.e === 'auth' && m.ok === 'ok');
    await handle.db.transaction(async (tx) => {
      await tx.update(apiKeys).set({ status: 'inactive' }).where(eq(apiKeys.id, key.id));
      await notifyKeyChanged(tx, key.id);
    });
    await client.next((m) => m.e === 'disconnected');
    await client.closed;
  });
});
