import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DbHandle } from '@/db/client';
import { selfSigned, type ServerTls } from '@/lib/platform/tls';
import { accountIdOf } from '@/test/support/databases';
import { authenticatedSocket, signedHeaders } from '@/test/support/api';
import { makeKey, type TestKey } from '@/test/support/keys';
import { expect, test } from './fixtures/test';
import { ConfirmKeyActionDialog } from './fixtures/key-lifecycle-pages';
import { ApiKeysPage } from './fixtures/pages';
import { uniqueKeyName, users } from './fixtures/users';
import { call, startAppNode, stopProcesses, waitUntilReady } from './support/app-node';
import { currentRun } from './support/run-environment';

/**
 * Two app processes on one PostgreSQL behind Debian's nginx ending TLS (round robin, no sticky
 * sessions), as deploy/nginx/keydesk.conf runs them: a session works on either node, the rate
 * limit is one limit, and a key changed through one node is refused — REST and an open WebSocket
 * — by the other within a second. Runs in the PostgreSQL browser suite of .ci/run, which installs
 * nginx. Besides the round-robin address, nginx offers one address per node, so a step can pick
 * the node it goes through with the same https origin rules as a browser has in production.
 */
const run = currentRun()!;
const databaseUrl = run.serverEnv.DATABASE_URL;
const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
const [NODE_A, NODE_B, PROXY] = [run.port + 10, run.port + 11, run.port + 12];
/** nginx's https address for one node only. */
const VIA = { [NODE_A]: run.port + 13, [NODE_B]: run.port + 14 };
/** An API node (KEYDESK_ROLE=api), and nginx's address that splits traffic as deploy/nginx/keydesk.conf does. */
const [API_NODE, SPLIT_PROXY] = [run.port + 16, run.port + 17];
const nodeUrl = (port: number) => `http://127.0.0.1:${port}`;
const httpsUrl = (port: number) => `https://127.0.0.1:${port}`;
const proxyUrl = httpsUrl(PROXY);
const splitUrl = httpsUrl(SPLIT_PROXY);
const viaUrl = (node: number) => httpsUrl(VIA[node]);
const RATE_LIMIT = 20;

test.skip(!databaseUrl || !nginxBinary, 'needs a PostgreSQL run (DATABASE_URL) and nginx: .ci/run provides both');
test.describe.configure({ mode: 'serial' });
// nginx's certificate is self-signed, made for this run.
test.use({ baseURL: proxyUrl, ignoreHTTPSErrors: true });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydesk-two-nodes-'));
const children: ChildProcess[] = [];
let db: DbHandle;
let atlas: string;
let tls: ServerTls;

function nginxConfig(): string {
  const asRoot = process.getuid?.() === 0;
  return `${asRoot ? 'user root;' : ''}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream keydesk_nodes { server 127.0.0.1:${NODE_A}; server 127.0.0.1:${NODE_B}; keepalive 16; }
  upstream keydesk_node_a { server 127.0.0.1:${NODE_A}; }
  upstream keydesk_node_b { server 127.0.0.1:${NODE_B}; }
  upstream keydesk_api_nodes { server 127.0.0.1:${API_NODE}; }
  map $http_upgrade $keydesk_connection { default upgrade; '' ''; }
  map $server_port $keydesk_upstream {
    ${VIA[NODE_A]} keydesk_node_a;
    ${VIA[NODE_B]} keydesk_node_b;
    default keydesk_nodes;
  }
  ssl_certificate ${dir}/tls/cert.pem;
  ssl_certificate_key ${dir}/tls/key.pem;
  ssl_protocols TLSv1.2 TLSv1.3;
  client_max_body_size 64k;
  proxy_http_version 1.1;
  proxy_set_header Host $http_host;
  proxy_set_header X-Forwarded-Host $http_host;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_set_header X-Request-Id $request_id;
  proxy_set_header Upgrade $http_upgrade;
  proxy_set_header Connection $keydesk_connection;
  proxy_next_upstream off;
  # For this test only: which node answered.
  add_header X-Upstream $upstream_addr always;
  server {
    listen 127.0.0.1:${PROXY} ssl;
    listen 127.0.0.1:${VIA[NODE_A]} ssl;
    listen 127.0.0.1:${VIA[NODE_B]} ssl;
    location / {
      proxy_pass http://$keydesk_upstream;
    }
  }
  # The split of deploy/nginx/keydesk.conf: the trading API to API nodes, the console to the others.
  server {
    listen 127.0.0.1:${SPLIT_PROXY} ssl;
    location / {
      proxy_pass http://keydesk_nodes;
    }
    location ~ ^/api/(rest/|rest-public/|ws$|ws-public$) {
      proxy_pass http://keydesk_api_nodes;
    }
  }
}
`;
}

async function startNode(port: number, role: 'all' | 'api' = 'all'): Promise<void> {
  const env = {
    ...run.serverEnv,
    KEYDESK_ROLE: role,
    NEXTAUTH_URL: proxyUrl,
    KEYDESK_TRUSTED_PROXIES: '127.0.0.1',
    KEYDESK_API_RATE_LIMIT: String(RATE_LIMIT),
    KEYDESK_DATA_DIR: path.join(dir, `data-${port}`),
  };
  children.push(await startAppNode(port, env, dir));
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  tls = await selfSigned(path.join(dir, 'tls'));
  // Node A migrates (a no-op here) before B starts, as the deploy notes advise.
  await startNode(NODE_A);
  await startNode(NODE_B);
  await startNode(API_NODE, 'api');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig());
  children.push(spawn(nginxBinary!, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'inherit' }));
  await waitUntilReady(`${proxyUrl}/api/ready`, { ca: tls.cert });
  process.env.KEYDESK_ENCRYPTION_KEY = run.serverEnv.KEYDESK_ENCRYPTION_KEY;
  db = openDatabase({ url: databaseUrl! });
  atlas = await accountIdOf(db.db, 'Atlas Capital');
});

test.afterAll(async () => {
  await stopProcesses(children);
  await db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A signed status call, over https to nginx (trusting this run's certificate) or plain http to a node. */
const status = (base: string, key: TestKey) =>
  call(`${base}/api/rest/get_my_account_status_v3`, {
    method: 'POST',
    headers: signedHeaders(key, 'get_my_account_status_v3'),
    body: '{}',
    ca: tls.cert,
  });

/** Deactivates the key through one node's own page (the owner's session is valid on every node). */
async function deactivateThrough(page: import('@playwright/test').Page, port: number, name: string): Promise<void> {
  await page.goto(`${viaUrl(port)}/settings/api-keys`);
  const keysPage = new ApiKeysPage(page);
  await keysPage.chooseAction(name, 'Deactivate');
  const dialog = ConfirmKeyActionDialog.deactivate(page, name);
  await dialog.confirm.click();
  await expect(keysPage.notice('The API key is inactive: it stopped working at once.')).toBeVisible();
}

test('a session started through the proxy works on either node: no sticky sessions', async ({ page, signIn }) => {
  const served: string[] = [];
  page.on('response', (response) => {
    const upstream = response.headers()['x-upstream'];
    if (upstream && response.request().resourceType() === 'document') served.push(upstream);
  });
  await signIn(users.owner, { reuseSession: true });
  // Round robin over every request (assets too): a few page loads land on both nodes.
  for (let i = 0; i < 6 && new Set(served).size < 2; i++) {
    await page.goto('/settings/api-keys');
    await expect(page.getByRole('heading', { name: 'API Keys Management', level: 1 })).toBeVisible();
  }
  expect(new Set(served).size, `documents served by ${served.join(', ')}`).toBe(2);
  for (const port of [NODE_A, NODE_B]) {
    const response = await page.goto(`${viaUrl(port)}/settings/api-keys`);
    await expect(page.getByRole('heading', { name: 'API Keys Management', level: 1 })).toBeVisible();
    // Each node knows, from the proxy it trusts, that the browser is on https.
    expect(response?.headers()['strict-transport-security']).toContain('max-age=');
  }
  const session = (await page.context().cookies(proxyUrl)).find((c) => c.name.includes('session-token'));
  expect(session).toMatchObject({ name: '__Secure-next-auth.session-token', secure: true, httpOnly: true });
});

test('the rate limit is one limit across the nodes', async () => {
  const key = await makeKey(db.db, { accountId: atlas, name: uniqueKeyName('two-node limit') });
  const answers: { status: number; upstream: string }[] = [];
  for (let i = 0; i < RATE_LIMIT + 10; i++) {
    const res = await status(proxyUrl, key);
    answers.push({ status: res.status, upstream: String(res.headers['x-upstream']) });
  }
  expect(new Set(answers.map((a) => a.upstream)).size).toBe(2);
  const accepted = answers.filter((a) => a.status === 200).length;
  // Exact up to one lease block per process (KEYDESK_API_RATE_LIMIT / 30, at least 1).
  expect(accepted).toBeGreaterThanOrEqual(RATE_LIMIT);
  expect(accepted).toBeLessThanOrEqual(RATE_LIMIT + 2);
  expect(answers.slice(-5).every((a) => a.status === 429)).toBe(true);
});

test('a key deactivated through one node is refused by the other within a second', async ({ page, signIn }) => {
  const name = uniqueKeyName('two-node deactivate');
  const key = await makeKey(db.db, { accountId: atlas, name });
  for (const port of [NODE_A, NODE_B]) expect((await status(nodeUrl(port), key)).status).toBe(200); // cached on both
  await signIn(users.owner, { reuseSession: true });
  await deactivateThrough(page, NODE_A, name);
  const changed = Date.now();
  for (;;) {
    if ((await status(nodeUrl(NODE_B), key)).status === 401) break;
    expect(Date.now() - changed, 'node B still accepts the key').toBeLessThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect((await status(nodeUrl(NODE_A), key)).status).toBe(401);
});

test('a WebSocket open on one node is closed when its key is deactivated through the other', async ({ page, signIn }) => {
  const name = uniqueKeyName('two-node socket');
  const key = await makeKey(db.db, { accountId: atlas, name });
  // wss through nginx (the upgrade passed on) to node A.
  const { messages, closed } = await authenticatedSocket(`${viaUrl(NODE_A).replace('https', 'wss')}/api/ws`, key, { ca: tls.cert });

  await signIn(users.owner, { reuseSession: true });
  await deactivateThrough(page, NODE_B, name);
  const changed = Date.now();
  const at = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(Number.POSITIVE_INFINITY), 3000))]);
  expect(at - changed).toBeLessThanOrEqual(1000);
  expect(messages.some((m) => m.e === 'disconnected')).toBe(true);
});

test('split as deploy/nginx/keydesk.conf splits it, an API node answers the bots and follows the console', async ({ page, signIn }) => {
  const name = uniqueKeyName('api node');
  const key = await makeKey(db.db, { accountId: atlas, name });
  const apiNode = `127.0.0.1:${API_NODE}`;
  // A bot through the proxy reaches the API node, REST and WebSocket; a browser reaches a console node.
  const answer = await status(splitUrl, key);
  expect(answer.status).toBe(200);
  expect(answer.headers['x-upstream']).toBe(apiNode);
  // Behind the https proxy it trusts, the API node says so as the console nodes do.
  expect(answer.headers['strict-transport-security']).toContain('max-age=');
  const publicTime = await call(`${splitUrl}/api/rest-public/get_server_time`, { method: 'POST', body: '{}', ca: tls.cert });
  expect(publicTime.headers['x-upstream']).toBe(apiNode);
  const signInPage = await call(`${splitUrl}/sign-in`, { ca: tls.cert });
  expect(signInPage.status).toBe(200);
  expect(signInPage.headers['content-type']).toContain('text/html');
  expect([`127.0.0.1:${NODE_A}`, `127.0.0.1:${NODE_B}`]).toContain(signInPage.headers['x-upstream']);
  // Straight to the API node, the console is not there.
  expect((await call(`${nodeUrl(API_NODE)}/settings/api-keys`)).status).toBe(404);

  const { closed } = await authenticatedSocket(`${splitUrl.replace('https', 'wss')}/api/ws`, key, { ca: tls.cert });

  // The owner deactivates the key in the console (node B): the API node, which shares no memory
  // with it, refuses the key within a second and closes its socket.
  await signIn(users.owner, { reuseSession: true });
  await deactivateThrough(page, NODE_B, name);
  const changed = Date.now();
  await expect.poll(async () => (await status(splitUrl, key)).status, { timeout: 1000, intervals: [20] }).toBe(401);
  const at = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(Number.POSITIVE_INFINITY), 3000))]);
  expect(at - changed).toBeLessThanOrEqual(1000);
});
