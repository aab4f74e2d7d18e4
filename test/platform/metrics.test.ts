import { createServer, type Server } from 'node:http';
import { sql } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { ApiGateway } from '@/lib/api/gateway';
import { restApiListener } from '@/lib/api/http-api';
import { attachWebSocketApi } from '@/lib/api/ws-server';
import { clientIpOf } from '@/lib/platform/client-ip';
import { eventHub } from '@/lib/platform/events';
import { requestLines } from '@/lib/platform/log';
import { instrumented, metrics, metricsListener } from '@/lib/platform/metrics';
import { restSignature } from '@/lib/api/signing';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { makeKey, type TestKey } from '../support/keys';

/** /metrics as an operator's Prometheus scrapes it, after real traffic through the same listeners as server.ts. */
let handle: TestDatabase;
let server: Server;
let base: string;
let key: TestKey;
let gateway: ApiGateway;

async function listen(ip: (req: Parameters<typeof clientIpOf>[0]) => string | null): Promise<{ server: Server; base: string }> {
  gateway = new ApiGateway(() => handle.db);
  const api = restApiListener(gateway, ip);
  const scrape = metricsListener(ip);
  const s = createServer(instrumented((req, res) => api(req, res) || scrape(req, res) || res.writeHead(404).end(), ip));
  attachWebSocketApi(s, gateway, ip);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { server: s, base: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  await eventHub().start(handle);
  metrics().useDatabase(() => handle);
  ({ server, base } = await listen(clientIpOf));
  key = await makeKey(handle.db, { accountId: await accountIdOf(handle.db, 'Atlas Capital') });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server?.close(resolve));
  await handle?.dispose();
});

function signedCall(action: string, secret = key.secret) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return fetch(`${base}/api/rest/${action}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'X-AGGR-KEY': key.publicKey,
      'X-AGGR-TIMESTAMP': timestamp,
      'X-AGGR-SIGNATURE': restSignature(secret, action, timestamp, '{}'),
    },
    body: '{}',
  });
}

/** A sample's value from the exposition text, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(name) && !l.startsWith('#') && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('GET /metrics', () => {
  it('counts requests, API calls by action and outcome, cache hits, sockets and the outbox backlog', async () => {
    expect((await signedCall('get_my_account_status_v3')).status).toBe(200);
    expect((await signedCall('get_my_account_status_v3')).status).toBe(200);
    expect((await signedCall('get_my_account_status_v3', 'wrong-secret')).status).toBe(401);
    expect((await fetch(`${base}/api/rest-public/get_server_time`, { method: 'POST', body: '{}' })).status).toBe(200);
    const socket = new WebSocket(base.replace('http', 'ws') + '/api/ws-public');
    await new Promise((resolve) => socket.once('open', resolve));
    // Written now rather than by their timers during a scrape below, where they would hold a busy connection.
    await Promise.all([gateway.usage.flush(), gateway.lastUsed.flush()]);

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'keydesk_api_calls_total', { action: 'get_my_account_status_v3', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'keydesk_api_calls_total', { action: 'get_my_account_status_v3', outcome: 'auth_failed' })).toBe(1);
    expect(sample(text, 'keydesk_api_calls_total', { action: 'get_server_time', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'keydesk_http_requests_total', { route: 'api_rest', status: '200' })).toBe(2);
    expect(sample(text, 'keydesk_http_request_duration_seconds_count', { route: 'api_rest' })).toBe(3);
    // Prometheus's histogram form: cumulative buckets ending in +Inf, which equals the count.
    expect(text).toMatch(/^# TYPE keydesk_http_request_duration_seconds histogram$/m);
    expect(sample(text, 'keydesk_http_request_duration_seconds_bucket', { route: 'api_rest', le: '+Inf' })).toBe(3);
    expect(sample(text, 'keydesk_http_request_duration_seconds_bucket', { route: 'api_rest', le: '5' })).toBe(3);
    expect(sample(text, 'keydesk_http_request_duration_seconds_bucket', { route: 'api_rest', le: '0.0005' })).toBeLessThanOrEqual(3);
    expect(sample(text, 'keydesk_http_request_duration_seconds_sum', { route: 'api_rest' })).toBeGreaterThan(0);
    expect(sample(text, 'keydesk_cache_lookups_total', { cache: 'keys', result: 'hit' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'keydesk_cache_lookups_total', { cache: 'balances', result: 'hit' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'keydesk_websocket_connections', { socket: 'public' })).toBe(1);
    expect(text).toMatch(/^keydesk_outbox_backlog \d+$/m);
    expect(sample(text, 'keydesk_notifications_up')).toBe(1);
    expect(text).toContain('keydesk_process_cpu_seconds_total');
    if (handle.kind === 'postgres') {
      // This pool's connections as PostgreSQL lists them: the ones the calls above opened, idle now.
      expect(sample(text, 'keydesk_db_connections', { state: 'max' })).toBe(11);
      expect(sample(text, 'keydesk_db_connections', { state: 'open' })).toBeGreaterThanOrEqual(1);
      // Idle once nothing runs: a background statement (a heartbeat, a batched write) may be under way at any one scrape.
      await expect
        .poll(async () => sample(await (await fetch(`${base}/metrics`)).text(), 'keydesk_db_connections', { state: 'busy' }), {
          timeout: 5000,
        })
        .toBe(0);
      // A statement running while Prometheus scrapes holds a busy connection.
      const running = Promise.resolve(handle.db.execute(sql`select pg_sleep(0.5)`));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const during = await (await fetch(`${base}/metrics`)).text();
      expect(sample(during, 'keydesk_db_connections', { state: 'busy' })).toBeGreaterThanOrEqual(1);
      await running;
    } else {
      expect(text).not.toMatch(/^keydesk_db_connections/m);
    }
    // Never a key, a secret or a signature in a label.
    expect(text).not.toContain(key.publicKey);
    expect(text).not.toContain(key.secret);

    socket.close();
    await vi.waitFor(async () =>
      expect(sample(await (await fetch(`${base}/metrics`)).text(), 'keydesk_websocket_connections', { socket: 'public' })).toBe(0),
    );
  });

  it('is refused (403) to any other address unless KEYDESK_METRICS_ALLOW names it', async () => {
    const outside = await listen(() => '203.0.113.9');
    try {
      const refused = await fetch(`${outside.base}/metrics`);
      expect(refused.status).toBe(403);
      expect(await refused.text()).not.toContain('keydesk_');
      vi.stubEnv('KEYDESK_METRICS_ALLOW', '10.0.0.0/8, 203.0.113.0/24');
      expect((await fetch(`${outside.base}/metrics`)).status).toBe(200);
    } finally {
      vi.unstubAllEnvs();
      await new Promise((resolve) => outside.server.close(resolve));
    }
  });
});

describe('one JSON log line per request, with the X-Request-Id it answered with', () => {
  function captureRequestLines(): Record<string, unknown>[] {
    const lines: Record<string, unknown>[] = [];
    vi.spyOn(requestLines, 'enabled').mockReturnValue(true);
    vi.spyOn(requestLines, 'write').mockImplementation((line) => void lines.push(JSON.parse(line) as Record<string, unknown>));
    return lines;
  }

  it('for an API call answered by the API itself and for any other request, without the query', async () => {
    const lines = captureRequestLines();
    try {
      const api = await signedCall('get_my_account_status_v3');
      const other = await fetch(`${base}/nowhere?token=query-not-for-the-log`, { headers: { 'X-Request-Id': 'from-nginx.42' } });
      const bad = await fetch(`${base}/api/rest-public/get_server_time`, {
        method: 'POST',
        body: '{}',
        headers: { 'X-Request-Id': 'no spaces <allowed>' },
      });
      await vi.waitFor(() => expect(lines).toHaveLength(3));
      expect(lines[0]).toMatchObject({
        level: 30,
        msg: 'request',
        reqId: api.headers.get('x-request-id'),
        method: 'POST',
        route: 'api_rest',
        path: '/api/rest/get_my_account_status_v3',
        status: 200,
        ip: '127.0.0.1',
      });
      expect(lines[0].ms).toEqual(expect.any(Number));
      expect(lines[1]).toMatchObject({ reqId: 'from-nginx.42', route: 'page', path: '/nowhere', status: 404 });
      expect(other.headers.get('x-request-id')).toBe('from-nginx.42');
      // A malformed id is replaced, not echoed.
      expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines[2]).toMatchObject({ reqId: bad.headers.get('x-request-id'), route: 'api_public', status: 200 });
      expect(JSON.stringify(lines)).not.toContain(key.secret);
      expect(JSON.stringify(lines)).not.toContain('query-not-for-the-log');
    } finally {
      vi.restoreAllMocks();
    }
  });
});
