/**
 * An authenticated REST call (get_my_account_status_v3, signed, with 10,000 keys in the table)
 * next to a bare public route through the same stack, under the same load. The goal: latency
 * ≤ 1.25x and throughput ≥ 80% of the bare route. A signed read that always goes to the database
 * is shown for comparison.
 */
import { eq } from 'drizzle-orm';
import { accounts, apiKeys } from '@/db/schema';
import { newApiSecret, newPublicKey } from '@/lib/keys/rules';
import { encryptSecret, parseKeyring } from '@/lib/platform/crypto';
import { restSignature } from '@/lib/api/signing';
import { benchEnvironment, load, prepareDatabase, report, startServer, stopServer } from './harness';

const KEY_COUNT = Number(process.env.BENCH_KEYS ?? 10_000);

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
            permissions: ['read'],
            ipWhitelist: [],
            status: 'active' as const,
          };
        }),
      );
    }
  });
  const server = await startServer(bench);
  try {
    const action = 'get_my_account_status_v3';
    const body = '{}';
    // One signature per run: the call is a read (no replay guard) and a run is inside ±30 s.
    const signedHeaders = (name = action) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      return {
        'content-type': 'application/json',
        'X-AGGR-KEY': probe.publicKey,
        'X-AGGR-TIMESTAMP': timestamp,
        'X-AGGR-SIGNATURE': restSignature(probe.secret, name, timestamp, body),
      };
    };
    const check = await fetch(`${bench.base}/api/rest/${action}`, { method: 'POST', headers: signedHeaders(), body });
    if (check.status !== 200) throw new Error(`the signed call failed: ${check.status} ${await check.text()}`);
    const bareUrl = `${bench.base}/api/rest-public/get_server_time`;
    const bareRun = () => load({ url: bareUrl, method: 'POST', body });
    const signedRun = () => load({ url: `${bench.base}/api/rest/${action}`, method: 'POST', headers: signedHeaders(), body });
    // Both routes warmed the same way first: a route's first seconds measure the JIT, not the route.
    await bareRun();
    await signedRun();
    const bare = await bareRun();
    const authed = await signedRun();
    // For comparison, not the goal: a signed read that is not kept in memory goes to the database every time.
    const uncached = 'get_my_wallet_balance';
    const walletRun = () => load({ url: `${bench.base}/api/rest/${uncached}`, method: 'POST', headers: signedHeaders(uncached), body });
    await walletRun();
    const wallet = await walletRun();
    report(
      `REST API (${KEY_COUNT} keys)`,
      { name: 'POST /api/rest-public/get_server_time', result: bare },
      { name: `POST /api/rest/${action} (signed)`, result: authed },
      { name: `POST /api/rest/${uncached} (signed, no cache)`, result: wallet },
    );
  } finally {
    await stopServer(bench, server);
  }
}
