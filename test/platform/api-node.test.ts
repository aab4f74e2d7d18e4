import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createSeededTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/databases';
import { authenticatedSocket, signedHeaders } from '../support/api';
import { makeKey, type TestKey } from '../support/keys';

/**
 * An API node (`KEYDESK_ROLE=api`), the server process run for real: it serves the REST and
 * WebSocket API and the probes a load balancer asks for, and nothing of the console — so a proxy
 * that routes a browser to it shows at once. A role it does not know, or an API node on the
 * embedded database (which the console's process must own), stops it before it touches anything.
 */

const url = process.env.DATABASE_URL;
process.env.KEYDESK_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');

/** `tsx server.ts` with only the environment given (plus PATH and HOME), as an operator starts a node. */
function startNode(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

describe('a node that cannot be an API node stops before it opens anything', () => {
  it.each([
    ['KEYDESK_ROLE=api on the embedded database', { KEYDESK_ROLE: 'api' }, 'KEYDESK_ROLE=api needs DATABASE_URL'],
    ['an unknown role', { KEYDESK_ROLE: 'console' }, 'KEYDESK_ROLE must be "all" (the default) or "api", not "console"'],
  ])('%s', async (_, env, message) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydesk-api-node-'));
    try {
      const node = startNode({ ...env, KEYDESK_DATA_DIR: dataDir, PORT: String(await freePort()) });
      expect(await node.exited).toBe(1);
      expect(node.output()).toContain(message);
      // No database folder, no generated secret: nothing was written.
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!url)('an API node on PostgreSQL', () => {
  let testDb: TestDatabase;
  let node: ReturnType<typeof startNode>;
  let base: string;
  let key: TestKey;

  beforeAll(async () => {
    testDb = await createSeededTestDatabase();
    key = await makeKey(testDb.db, { accountId: await accountIdOf(testDb.db, 'Atlas Capital'), name: 'API node key' });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // No NEXTAUTH_SECRET: an API node signs no console sessions, and a production one starts without it.
    node = startNode({
      DATABASE_URL: testDatabaseUrl(testDb.name),
      KEYDESK_ENCRYPTION_KEY: process.env.KEYDESK_ENCRYPTION_KEY!,
      KEYDESK_ROLE: 'api',
      KEYDESK_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'keydesk-api-node-')),
      PORT: String(port),
    });
    for (let i = 0; ; i++) {
      const ready = await fetch(`${base}/api/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (i > 240 || node.child.exitCode !== null) throw new Error(`the API node did not become ready:\n${node.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 90_000);
  afterAll(async () => {
    if (node && node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGTERM');
    await node?.exited;
    await testDb?.dispose();
  });

  it('answers signed and public REST calls', async () => {
    const action = 'get_my_account_status_v3';
    const res = await fetch(`${base}/api/rest/${action}`, { method: 'POST', headers: signedHeaders(key, action), body: '{}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ ok: 'ok', data: { convertedCurrency: 'USD' } });

    const time = await fetch(`${base}/api/rest-public/get_server_time`, { method: 'POST', body: '{}' });
    expect(time.status).toBe(200);
    expect(await time.json()).toMatchObject({ ok: 'ok', data: { timestamp: expect.any(Number) } });
  });

  it('authenticates a WebSocket', async () => {
    const { socket, messages } = await authenticatedSocket(`${base.replace('http', 'ws')}/api/ws`, key);
    expect(messages.find((m) => m.e === 'auth')?.ok).toBe('ok');
    socket.close();
  });

  it('answers a load balancer’s probes and the metrics scraper', async () => {
    const ready = await fetch(`${base}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, database: 'up', notifications: 'up' });
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const posted = await fetch(`${base}/api/health`, { method: 'POST' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
    // Scraped from this machine, as on every node.
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('keydesk_');
  });

  it('serves nothing of the console: a page, sign-in or a build file is a JSON 404', async () => {
    for (const pathname of ['/', '/sign-in', '/settings/api-keys', '/api/auth/csrf', '/_next/static/chunks/main.js', '/docs/api']) {
      const res = await fetch(`${base}${pathname}`);
      expect(res.status, pathname).toBe(404);
      expect(res.headers.get('content-type'), pathname).toBe('application/json');
      expect(await res.json(), pathname).toEqual({ error: 'Not found: this node serves the API only (KEYDESK_ROLE=api)' });
    }
    // A server action's POST is refused the same way: no console code runs here.
    const action = await fetch(`${base}/settings/api-keys`, { method: 'POST', headers: { 'Next-Action': 'x' }, body: '' });
    expect(action.status).toBe(404);
  });

  it('stops on SIGTERM within seconds, with exit code 0', async () => {
    const asked = Date.now();
    node.child.kill('SIGTERM');
    expect(await node.exited).toBe(0);
    expect(Date.now() - asked).toBeLessThan(5000);
  });
});
