/**
 * `npm run bench`: how much does an authenticated, server-rendered API-keys page cost next to a
 * bare route? Starts the built app on a fresh embedded database holding 20 keys, signs in through
 * next-auth's credentials endpoint, then loads both routes with the same concurrency and prints
 * latency and throughput ratios. Run `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { eq } from 'drizzle-orm';
import { openDatabase } from '@/db/client';
import { accounts, apiKeys } from '@/db/schema';
import { seedDemo } from '@/db/seed';
import { newApiSecret, newPublicKey } from '@/lib/api-keys';
import { encryptSecret, parseKeyring } from '@/lib/crypto';

const PORT = Number(process.env.BENCH_PORT ?? 3290);
const BASE = `http://127.0.0.1:${PORT}`;
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 10;
const env = {
  ...process.env,
  NODE_ENV: 'production' as const,
  PORT: String(PORT),
  NEXTAUTH_URL: BASE,
  NEXTAUTH_SECRET: 'bench-only-nextauth-secret-000000000000',
  KEYDESK_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  KEYDESK_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'keydesk-bench-')),
  DATABASE_URL: '',
};

async function prepareDatabase() {
  const handle = openDatabase({ dir: path.join(env.KEYDESK_DATA_DIR, 'pglite') });
  await handle.migrate();
  process.env.KEYDESK_ENCRYPTION_KEY = env.KEYDESK_ENCRYPTION_KEY;
  await seedDemo(handle.db);
  const [cobalt] = await handle.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, 'Cobalt Trading'));
  const ring = parseKeyring(env.KEYDESK_ENCRYPTION_KEY);
  await handle.db.insert(apiKeys).values(
    Array.from({ length: 20 }, (_, i) => {
      const publicKey = newPublicKey();
      return { accountId: cobalt.id, name: `bench key ${i}`, publicKey, secretEnc: encryptSecret(newApiSecret(), publicKey, ring), permissions: ['read', 'trade'], ipWhitelist: ['10.0.0.0/8'] };
    }),
  );
  await handle.close();
}

async function waitForServer() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the app did not start');
}

/** Signs in the way any next-auth client would: CSRF token, then the credentials callback. */
async function signIn(): Promise<string> {
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email: 'new-owner@keydesk.test', password: 'keydesk-demo', json: 'true' }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='));
  if (!session) throw new Error(`sign-in failed (${res.status})`);
  return session.split(';')[0];
}

async function load(url: string, cookie?: string) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers: cookie ? { cookie } : {} });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average };
}

async function main() {
  await prepareDatabase();
  const server = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'server.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitForServer();
    const cookie = await signIn();
    const page = await fetch(`${BASE}/settings/api-keys`, { headers: { cookie } });
    if (!(await page.text()).includes('bench key 19')) throw new Error('the authenticated page did not render the keys');
    await load(`${BASE}/api/health`); // warm-up
    await load(`${BASE}/settings/api-keys`, cookie);
    const bare = await load(`${BASE}/api/health`);
    const keys = await load(`${BASE}/settings/api-keys`, cookie);
    const row = (name: string, r: typeof bare) => `${name.padEnd(34)} p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  ${r.rps.toFixed(0).padStart(6)} req/s`;
    console.log(`${CONNECTIONS} connections, ${DURATION} s each, embedded database`);
    console.log(row('GET /api/health (bare route)', bare));
    console.log(row('GET /settings/api-keys (20 keys)', keys));
    console.log(`latency ratio (p50):   ${(keys.p50 / Math.max(bare.p50, 1)).toFixed(2)}x`);
    console.log(`throughput ratio:      ${((keys.rps / bare.rps) * 100).toFixed(0)}% of the bare route`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(env.KEYDESK_DATA_DIR, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
