/**
 * The REST API (10,000 keys in the table) next to its floor — a bare node:http server doing the
 * same HMAC and JSON (./floor-server.ts) — measured in the same run, rounds interleaved so a
 * noisy moment hits every route alike. Goals (issue #12): the signed call served from memory
 * ≥ 50% of the floor's throughput with p99 ≤ 5 ms; the public route ≥ 60%; signed reads that go
 * to the database ≥ 15% on PostgreSQL.
 *
 * On PostgreSQL the server is an API node (KEYDESK_ROLE=api: no Next in the process), as a
 * deployment runs its trading traffic; BENCH_ROLE=all measures a node serving the console too, the
 * only kind the embedded database has.
 */
import { eq } from 'drizzle-orm';
import { accounts, apiKeys } from '@/db/schema';
import { newApiSecret, newPublicKey } from '@/lib/keys/rules';
import { encryptSecret, parseKeyring } from '@/lib/platform/crypto';
import { spawn } from 'node:child_process';
import { FLOOR_SECRET } from './floor-server';
import { signedHeaders } from '@/test/support/api';
import {
  benchEnvironment,
  interleaved,
  load,
  measureIdleCpu,
  prepareDatabase,
  reportAgainstFloor,
  startServer,
  stopServer,
  waitFor,
  type Route,
} from './harness';

const KEY_COUNT = Number(process.env.BENCH_KEYS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STATUS = 'get_my_account_status_v3';
const ROLE = process.env.BENCH_ROLE ?? (process.env.DATABASE_URL ? 'api' : 'all');
let orderSeq = 0;

export async function benchApi(): Promise<void> {
  const bench = benchEnvironment(Number(process.env.BENCH_PORT ?? 3291));
  const ring = parseKeyring(bench.env.KEYDESK_ENCRYPTION_KEY);
  const probe = { publicKey: newPublicKey(), secret: newApiSecret() };
  await prepareDatabase(bench, async ({ db }) => {
    const [atlas] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, 'Atlas Capital'));
    for (let start = 0; start < KEY_COUNT; start += 1000) {
      await db.insert(apiKeys).values(
        Array.from({ length: Math.min(1000, KEY_COUNT - start) }, (_, i) => {
          const n = start + i;
          const isProbe = n === KEY_COUNT - 1;
          const publicKey = isProbe ? probe.publicKey : newPublicKey();
          const secret = isProbe ? probe.secret : newApiSecret();
          return {
            accountId: atlas.id,
            name: `bench key ${n}`,
            publicKey,
            secretEnc: encryptSecret(secret, publicKey, ring),
            permissions: isProbe ? ['read', 'trade'] : ['read'],
            ipWhitelist: [],
            status: 'active' as const,
          };
        }),
      );
    }
  });
  Object.assign(bench.env, { KEYDESK_ROLE: ROLE });
  const server = await startServer(bench);
  const floorPort = Number(new URL(bench.base).port) + 1;
  const floor = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'bench/floor-server.ts', String(floorPort)], {
    stdio: 'inherit',
  });
  try {
    await waitFor(`http://127.0.0.1:${floorPort}/`);
    // What each process spends with nobody asking (timers, heartbeats) is left out of its CPU per request.
    await Promise.all([measureIdleCpu(server.pid!), measureIdleCpu(floor.pid!)]);
    const body = '{}';
    // Signed once per run: reads take no replay guard, and a run stays inside the ±30 s window. The
    // floor checks the same signature with its own secret.
    const headers = (name: string, secret = probe.secret, body = '{}') => signedHeaders({ publicKey: probe.publicKey, secret }, name, body);
    const serverPid = server.pid;
    const signed = (name: string) => () =>
      load({ url: `${bench.base}/api/rest/${name}`, method: 'POST', headers: headers(name), body, serverPid });
    const check = await fetch(`${bench.base}/api/rest/${STATUS}`, { method: 'POST', headers: headers(STATUS), body });
    if (check.status !== 200) throw new Error(`the signed call failed: ${check.status} ${await check.text()}`);
    const routes: Route[] = [
      {
        name: 'floor: bare node:http HMAC + JSON',
        run: () =>
          load({
            url: `http://127.0.0.1:${floorPort}/api/rest/${STATUS}`,
            method: 'POST',
            headers: headers(STATUS, FLOOR_SECRET),
            body,
            serverPid: floor.pid,
          }),
      },
      {
        name: 'POST /api/rest-public/get_server_time',
        run: () => load({ url: `${bench.base}/api/rest-public/get_server_time`, method: 'POST', body, serverPid }),
        goal: 60,
      },
      { name: `signed ${STATUS} (from memory)`, run: signed(STATUS), goal: 50, p99Goal: 5 },
      { name: 'signed get_my_wallet_balance (from memory)', run: signed('get_my_wallet_balance'), goal: 15 },
      { name: 'signed get_my_orders (from memory)', run: signed('get_my_orders'), goal: 15 },
      {
        // A real order each time: its own clientOrderId and signature, BUY and SELL in turn so the
        // balances hold — one ledger transaction, the replay guard's claim and its settle.
        name: 'signed do_my_new_order (Market, database)',
        run: () =>
          load({
            url: `${bench.base}/api/rest/do_my_new_order`,
            method: 'POST',
            serverPid,
            perRequest: () => {
              const n = ++orderSeq;
              const side = n % 2 ? 'BUY' : 'SELL';
              const order = {
                clientOrderId: `bench-${n}`,
                currency1: 'BTC',
                currency2: 'USD',
                side,
                orderType: 'Market',
                amountCcy1: '0.0001',
              };
              const orderBody = JSON.stringify(order);
              return { headers: headers('do_my_new_order', probe.secret, orderBody), body: orderBody };
            },
          }),
        goal: 15,
      },
    ];
    // BENCH_ROUTES=order (a regular expression) measures only the matching routes, next to the floor.
    const only = process.env.BENCH_ROUTES ? new RegExp(process.env.BENCH_ROUTES, 'i') : null;
    if (only) routes.splice(1, routes.length, ...routes.slice(1).filter((r) => only.test(r.name)));
    const results = await interleaved(routes, ROUNDS);
    const node = ROLE === 'api' ? 'an API node' : 'a node serving the console too';
    reportAgainstFloor(`REST API on ${node} (${KEY_COUNT} keys, median of ${ROUNDS} interleaved rounds)`, routes, results);
  } finally {
    floor.kill();
    await stopServer(bench, server);
  }
}
