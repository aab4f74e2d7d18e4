/**
 * What a console under load does to a trading bot's calls: a bot calling the status action at a
 * steady 400 calls a second, first with the console idle, then while four browsers load the
 * owner's API-keys page as fast as it renders — against a node that serves the console too, and
 * against an API node (KEYDESK_ROLE=api) beside it on the same database. On the first, each page
 * render holds the event loop the bot's calls wait for; the second shares only the machine's
 * cores. PostgreSQL only: the embedded database has one process, which serves both.
 */
import autocannon from 'autocannon';
import { eq } from 'drizzle-orm';
import { accounts, apiKeys } from '@/db/schema';
import { newApiSecret, newPublicKey } from '@/lib/keys/rules';
import { encryptSecret, parseKeyring } from '@/lib/platform/crypto';
import {
  BROWSER_ENCODINGS,
  DURATION_SECONDS,
  benchEnvironment,
  prepareDatabase,
  signInWithPassword,
  startServer,
  stopServer,
  type BenchEnv,
} from './harness';
import { signedHeaders } from '@/test/support/api';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BOT_CALLS_PER_SECOND = 400;
const BROWSERS = 4;
const WARM_UP_SECONDS = 5;
const STATUS = 'get_my_account_status_v3';

export async function benchIsolation(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.log('\nIsolation: needs DATABASE_URL (a second node on the embedded database is not possible); skipped.');
    return;
  }
  const consoleNode = benchEnvironment(Number(process.env.BENCH_PORT ?? 3293));
  const bot = { publicKey: newPublicKey(), secret: newApiSecret() };
  await prepareDatabase(consoleNode, async ({ db }) => {
    const [cobalt] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, 'Cobalt Trading'));
    const ring = parseKeyring(consoleNode.env.KEYDESK_ENCRYPTION_KEY);
    await db.insert(apiKeys).values(
      Array.from({ length: 20 }, (_, i) => {
        const publicKey = i === 0 ? bot.publicKey : newPublicKey();
        return {
          accountId: cobalt.id,
          name: `bench key ${i}`,
          publicKey,
          secretEnc: encryptSecret(i === 0 ? bot.secret : newApiSecret(), publicKey, ring),
          permissions: ['read', 'trade'],
          ipWhitelist: [],
          status: 'active' as const,
        };
      }),
    );
  });
  const apiPort = Number(new URL(consoleNode.base).port) + 2;
  // The same database; its own port and data folder, and no database of its own to drop.
  const apiNode: BenchEnv = {
    ...consoleNode,
    base: `http://127.0.0.1:${apiPort}`,
    database: null,
    env: { ...consoleNode.env, PORT: String(apiPort), KEYDESK_DATA_DIR: `${consoleNode.env.KEYDESK_DATA_DIR}-api` },
  };
  Object.assign(apiNode.env, { KEYDESK_ROLE: 'api' });
  const consoleServer = await startServer(consoleNode);
  const apiServer = await startServer(apiNode).catch(async (error: unknown) => {
    await stopServer(consoleNode, consoleServer);
    throw error;
  });
  try {
    const cookie = await signInWithPassword(consoleNode, 'new-owner@keydesk.test');
    const botCalls = (base: string, duration = DURATION_SECONDS) =>
      autocannon({
        url: `${base}/api/rest/${STATUS}`,
        method: 'POST',
        // Signed once per run: a read takes no replay guard, and a run stays inside the ±30 s window.
        headers: signedHeaders(bot, STATUS),
        body: '{}',
        connections: 4,
        overallRate: BOT_CALLS_PER_SECOND,
        duration,
      });
    const browsers = (duration = DURATION_SECONDS) =>
      autocannon({
        url: `${consoleNode.base}/settings/api-keys`,
        headers: { ...BROWSER_ENCODINGS, cookie },
        connections: BROWSERS,
        duration,
      });
    // Servers that have just started are still compiling their hot code: a few seconds of each, unreported.
    await Promise.all([botCalls(consoleNode.base, WARM_UP_SECONDS), botCalls(apiNode.base, WARM_UP_SECONDS), browsers(WARM_UP_SECONDS)]);
    console.log(
      `\nA bot's calls while the console is busy — ${STATUS} at ${BOT_CALLS_PER_SECOND}/s, the API-keys page loaded by ${BROWSERS} connections, ${DURATION_SECONDS} s per run, PostgreSQL; latency in ms (whole ms)`,
    );
    console.log(
      `${'round  bot calls to'.padEnd(40)}${'console'.padEnd(8)}${'p50'.padStart(5)}${'p90'.padStart(5)}${'p99'.padStart(5)}${'max'.padStart(5)}  pages/s`,
    );
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [label, base] of [
        ['a node serving the console too', consoleNode.base],
        ['an API node', apiNode.base],
      ] as const) {
        for (const busy of [false, true]) {
          const [calls, pages] = await Promise.all([botCalls(base), busy ? browsers() : null]);
          if (calls.non2xx > 0 || calls.errors > 0 || (pages && (pages.non2xx > 0 || pages.errors > 0))) {
            throw new Error(`${label}: requests failed (${calls.non2xx + (pages?.non2xx ?? 0)} non-2xx)`);
          }
          const { p50, p90, p99, max } = calls.latency;
          console.log(
            `${`${round}      ${label}`.padEnd(40)}${(busy ? 'busy' : 'idle').padEnd(8)}${[p50, p90, p99, max].map((v) => String(v).padStart(5)).join('')}  ${pages ? pages.requests.average.toFixed(0) : '—'}`,
          );
        }
      }
    }
  } finally {
    await stopServer(apiNode, apiServer);
    await stopServer(consoleNode, consoleServer);
  }
}
