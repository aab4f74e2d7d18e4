/**
 * An authenticated REST call (get_my_account_status_v3, signed, with 10,000 keys in the table)
 * next to a bare public route through the same stack, under the same load.
 */
import { eq } from 'drizzle-orm';
import { accounts, apiKeys } from '@/db/schema';
import { newApiSecret, newPublicKey } from '@/lib/api-keys';
import { encryptSecret, parseKeyring } from '@/lib/crypto';
import { restSignature } from '@/lib/signing';
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
          return { accountId: atlas.id, name: `bench key ${n}`, publicKey, secretEnc: encryptSecret(secret, publicKey, ring), permissions: ['read'], ipWhitelist: [], status: 'active' as const };
        }),
      );
    }
  });
  const server = await startServer(bench);
  try {
    const action = 'get_my_account_status_v3';
    const body = '{}';
    // One signature for the run: the call is a read (no replay guard) and the run is inside ±30 s.
    const timestamp = String(Math.floor(Date.now() / 1000) + Math.floor((2 * 8 + 4) / 2));
    const headers = { 'content-type': 'application/json', 'X-AGGR-KEY': probe.publicKey, 'X-AGGR-TIMESTAMP': timestamp, 'X-AGGR-SIGNATURE': restSignature(probe.secret, action, timestamp, body) };
    const check = await fetch(`${bench.base}/api/rest/${action}`, { method: 'POST', headers, body });
    if (check.status !== 200) throw new Error(`the signed call failed: ${check.status} ${await check.text()}`);
    const bareUrl = `${bench.base}/api/rest-public/get_server_time`;
    await load({ url: bareUrl, method: 'POST', body }); // warm-up
    const bare = await load({ url: bareUrl, method: 'POST', body });
    const authed = await load({ url: `${bench.base}/api/rest/${action}`, method: 'POST', headers, body });
    report(`REST API (${KEY_COUNT} keys)`, { name: 'POST /api/rest-public/get_server_time', result: bare }, { name: `POST /api/rest/${action} (signed)`, result: authed });
  } finally {
    await stopServer(bench, server);
  }
}
