/**
 * The authenticated, server-rendered API-keys page (20 keys) next to a bare route, under the same
 * load. Signs in through next-auth's credentials endpoint like any next-auth client.
 */
import { eq } from 'drizzle-orm';
import { accounts, apiKeys } from '@/db/schema';
import { newApiSecret, newPublicKey } from '@/lib/keys/rules';
import { encryptSecret, parseKeyring } from '@/lib/platform/crypto';
import { benchEnvironment, load, prepareDatabase, report, startServer, stopServer, type BenchEnv, signInWithPassword } from './harness';

const signIn = (bench: BenchEnv) => signInWithPassword(bench, 'new-owner@keydesk.test');

export async function benchPages(): Promise<void> {
  const bench = benchEnvironment(Number(process.env.BENCH_PORT ?? 3290));
  await prepareDatabase(bench, async ({ db }) => {
    const [cobalt] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, 'Cobalt Trading'));
    const ring = parseKeyring(bench.env.KEYDESK_ENCRYPTION_KEY);
    await db.insert(apiKeys).values(
      Array.from({ length: 20 }, (_, i) => {
        const publicKey = newPublicKey();
        return {
          accountId: cobalt.id,
          name: `bench key ${i}`,
          publicKey,
          secretEnc: encryptSecret(newApiSecret(), publicKey, ring),
          permissions: ['read', 'trade'],
          ipWhitelist: ['10.0.0.0/8'],
        };
      }),
    );
  });
  const server = await startServer(bench);
  try {
    const cookie = await signIn(bench);
    const page = await fetch(`${bench.base}/settings/api-keys`, { headers: { cookie } });
    if (!(await page.text()).includes('bench key 19')) throw new Error('the authenticated page did not render the keys');
    await load({ url: `${bench.base}/api/health` }); // warm-up
    await load({ url: `${bench.base}/settings/api-keys`, headers: { cookie } });
    const bare = await load({ url: `${bench.base}/api/health` });
    const keys = await load({ url: `${bench.base}/settings/api-keys`, headers: { cookie } });
    report(
      'Owner page',
      { name: 'GET /api/health (bare route)', result: bare },
      { name: 'GET /settings/api-keys (signed in, 20 keys)', result: keys },
    );
  } finally {
    await stopServer(bench, server);
  }
}
