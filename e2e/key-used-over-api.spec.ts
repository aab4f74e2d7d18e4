import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';

type Message = Record<string, unknown> & { e: string };

/** Opens /api/ws, authenticates with the key, runs one request, returns what the server said. */
async function overWebSocket(baseURL: string, apiKey: string, secret: string): Promise<Message[]> {
  const ws = new WebSocket(baseURL.replace(/^http/, 'ws') + '/api/ws');
  const seen: Message[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`WebSocket: ${JSON.stringify(seen)}`)), 10_000);
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Message;
      seen.push(message);
      if (message.e === 'connected') {
        const timestamp = Date.now() / 1000;
        const signature = createHmac('sha256', secret)
          .update(String(timestamp) + apiKey)
          .digest('hex');
        ws.send(JSON.stringify({ e: 'auth', auth: { key: apiKey, signature, timestamp }, oid: 'auth' }));
      } else if (message.e === 'auth' && message.ok === 'ok') {
        ws.send(JSON.stringify({ e: 'get_my_wallet_balance', oid: 'w1', data: {} }));
      } else if (message.oid === 'w1' || message.e === 'auth') {
        clearTimeout(timer);
        ws.close();
        resolve();
      }
    });
    ws.on('error', reject);
  });
  return seen;
}

test('a key created in the browser works over REST and WebSocket once activated, and not before', async ({
  page,
  baseURL,
  signIn,
  keysPage,
  smsOwnerKeys,
}) => {
  const name = uniqueKeyName('API client');
  await signIn(users.smsOwner, { reuseSession: true });
  await keysPage.openFromSettings();
  const { apiKey, secret } = await smsOwnerKeys.create(name);

  const call = async (action: string, body: unknown) => {
    const raw = JSON.stringify(body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', secret)
      .update(action + timestamp + raw)
      .digest('base64');
    const res = await page.request.post(`/api/rest/${action}`, {
      headers: { 'Content-Type': 'application/json', 'X-AGGR-KEY': apiKey, 'X-AGGR-TIMESTAMP': timestamp, 'X-AGGR-SIGNATURE': signature },
      data: raw,
    });
    return { status: res.status(), body: (await res.json()) as Record<string, unknown> };
  };

  // Inactive: the key exists but opens nothing.
  expect(await call('get_my_account_status_v3', {})).toEqual({ status: 401, body: { error: 'Authorization Failed' } });
  expect((await overWebSocket(baseURL!, apiKey, secret)).find((m) => m.e === 'auth')).toMatchObject({
    data: { error: 'API key is not activated' },
  });

  await smsOwnerKeys.activate(name);

  const status = await call('get_my_account_status_v3', {});
  expect(status.status).toBe(200);
  expect(status.body).toMatchObject({ ok: 'ok', data: { balancesPerAccounts: { '': { USD: { balance: expect.any(String) } } } } });
  // Read only: trading is refused with 403.
  const order = await call('do_my_new_order', {
    clientOrderId: 'e2e-1',
    accountId: '',
    currency1: 'BTC',
    currency2: 'USD',
    side: 'BUY',
    orderType: 'Market',
    amountCcy2: '100',
  });
  expect(order.status).toBe(403);

  const messages = await overWebSocket(baseURL!, apiKey, secret);
  expect(messages[0]).toEqual({ e: 'connected' });
  expect(messages.find((m) => m.e === 'auth')).toMatchObject({ ok: 'ok' });
  expect(messages.find((m) => m.oid === 'w1')).toMatchObject({ ok: 'ok', data: { BTC: { balance: expect.any(String) } } });

  // The list now shows when and from where the key was last used (written within seconds).
  await expect(async () => {
    await page.reload();
    await expect(keysPage.row(name)).toContainText(/127\.0\.0\.1|::1/);
  }).toPass({ timeout: 15_000 });
});
