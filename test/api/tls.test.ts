import fs from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiGateway } from '@/lib/api/gateway';
import { API_ACTIONS } from '@/lib/api/registry';
import { PERMISSIONS } from '@/lib/keys/permissions';
import { restApiListener } from '@/lib/api/http-api';
import { attachWebSocketApi } from '@/lib/api/ws-server';
import { clientIpOf } from '@/lib/platform/client-ip';
import { eventHub } from '@/lib/platform/events';
import { serverTls, type ServerTls } from '@/lib/platform/tls';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { CexStyleClient } from '../support/cex-client';
import { makeKey, type TestKey } from '../support/keys';

/**
 * The API over real TLS, composed as server.ts composes it with KEYDESK_TLS_SELF_SIGNED=1, used by
 * a client that behaves like the official CEX.IO one and verifies the certificate.
 */
let handle: TestDatabase;
let server: Server;
let tls: ServerTls;
let base: string;
let key: TestKey;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydesk-tls-'));

beforeAll(async () => {
  vi.stubEnv('KEYDESK_DATA_DIR', dataDir);
  vi.stubEnv('KEYDESK_TLS_SELF_SIGNED', '1');
  tls = (await serverTls())!;
  handle = await createSeededTestDatabase();
  await eventHub().start(handle);
  const gateway = new ApiGateway(() => handle.db);
  const api = restApiListener(gateway, clientIpOf);
  server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => api(req, res) || res.writeHead(404).end());
  attachWebSocketApi(server, gateway, clientIpOf);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  key = await makeKey(handle.db, { accountId: await accountIdOf(handle.db, 'Atlas Capital'), permissions: ['read', 'trade'] });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server?.close(resolve));
  await handle?.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a self-signed certificate for trying a bot locally', () => {
  it('is generated into the data folder once (key readable by the owner only) and reused', async () => {
    const certFile = path.join(dataDir, 'tls', 'cert.pem');
    expect(fs.readFileSync(certFile, 'utf8')).toBe(tls.cert);
    expect(fs.statSync(path.join(dataDir, 'tls', 'key.pem')).mode & 0o077).toBe(0);
    expect((await serverTls())?.cert).toBe(tls.cert);
  });

  it('given files win, and one without the other stops start-up with a clear message', async () => {
    vi.stubEnv('KEYDESK_TLS_CERT', path.join(dataDir, 'tls', 'cert.pem'));
    vi.stubEnv('KEYDESK_TLS_KEY', path.join(dataDir, 'tls', 'key.pem'));
    expect((await serverTls())?.source).toBe(path.join(dataDir, 'tls', 'cert.pem'));
    vi.stubEnv('KEYDESK_TLS_KEY', '');
    await expect(serverTls()).rejects.toThrow('Set both KEYDESK_TLS_CERT and KEYDESK_TLS_KEY');
    vi.stubEnv('KEYDESK_TLS_KEY', path.join(dataDir, 'missing.pem'));
    await expect(serverTls()).rejects.toThrow(/KEYDESK_TLS_KEY: cannot read .*missing\.pem \(ENOENT\)/);
    vi.stubEnv('KEYDESK_TLS_CERT', '');
    vi.stubEnv('KEYDESK_TLS_KEY', '');
  });
});

describe('a CEX.IO-style bot over https and wss', () => {
  it('calls public and signed actions over https, twenty in parallel, verifying the certificate', async () => {
    const client = new CexStyleClient(base, key.publicKey, key.secret, tls.cert);
    expect(await client.callPublic('get_server_time')).toMatchObject({ status: 200, body: { ok: 'ok' } });
    // The official client README's first example.
    expect(await client.callPublic('get_demo_order_book')).toMatchObject({
      status: 200,
      body: { ok: 'ok', data: { currency1: 'BTC', currency2: 'USD', bids: expect.any(Array), asks: expect.any(Array) } },
    });
    const results = await Promise.all(Array.from({ length: 20 }, () => client.callPrivate('get_my_account_status_v3')));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    client.close();
  });

  it('answers every action of the registry with its documented example, as the official client calls it', async () => {
    const all = await makeKey(handle.db, { accountId: await accountIdOf(handle.db, 'Atlas Capital'), permissions: [...PERMISSIONS] });
    const client = new CexStyleClient(base, all.publicKey, all.secret, tls.cert);
    for (const action of API_ACTIONS) {
      const params = action.exampleParams as Record<string, unknown>;
      const calls =
        action.permission === null
          ? [client.callPublic(action.name, params), client.callPrivate(action.name, params)]
          : [client.callPrivate(action.name, params)];
      for (const res of await Promise.all(calls)) expect([action.name, res.status, res.body.ok]).toEqual([action.name, 200, 'ok']);
    }
    client.close();
  });

  it('pins https with HSTS, except with the generated self-signed certificate (it would pin localhost for every app)', async () => {
    const hsts = () =>
      new Promise<string | undefined>((resolve, reject) => {
        const req = request(`${base}/api/rest-public/get_server_time`, { method: 'POST', ca: tls.cert }, (res) => {
          res.resume();
          resolve(res.headers['strict-transport-security'] as string | undefined);
        });
        req.on('error', reject);
        req.end('{}');
      });
    expect(await hsts()).toBeUndefined();
    vi.stubEnv('KEYDESK_TLS_SELF_SIGNED', '');
    expect(await hsts()).toBe('max-age=63072000; includeSubDomains');
    vi.stubEnv('KEYDESK_TLS_SELF_SIGNED', '1');
  });

  it('connects over wss, authenticates and calls, as the official client does', async () => {
    const client = new CexStyleClient(base, key.publicKey, key.secret, tls.cert);
    const socket = await client.socket(`${base.replace('https:', 'wss:')}/api/ws`, tls.cert);
    expect(socket.auth).toMatchObject({ e: 'auth', ok: 'ok' });
    expect(await socket.call('get_my_account_status_v3')).toMatchObject({ e: 'get_my_account_status_v3', ok: 'ok' });
    expect(await socket.call('get_server_time')).toMatchObject({ ok: 'ok' });
    socket.ws.close();
    client.close();
  });
});
