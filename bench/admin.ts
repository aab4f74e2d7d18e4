/**
 * The admin keys page (server-rendered, signed in as the platform admin) at 1k and at 1M keys:
 * keyset pagination and indexed queries should make the two cost about the same. Goals (issue
 * #17): every view's 1M/1k ratio of medians ≤ 1.2, and the first page's median ≤ 20 ms at 1M keys.
 * Each size gets a fresh database (embedded PGlite, or with DATABASE_URL a new database on that
 * local PostgreSQL server, dropped after). Also the server's CPU time per request of each view,
 * which the other work on a shared machine does not inflate as it does wall-clock time.
 */
import type { ChildProcess } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { userSessions, users } from '@/db/schema';
import { seedLargeDataset } from './large-dataset';
import { BROWSER_ENCODINGS, benchEnvironment, cpuMillis, prepareDatabase, startServer, stopServer, type BenchEnv } from './harness';

const SMALL = 1_000;
const LARGE = Number(process.env.BENCH_ADMIN_KEYS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_ADMIN_SAMPLES ?? 60);
/** Requests of each view to each server before any is timed: a server that has just started is still compiling its hot code. */
const WARM_UP = Number(process.env.BENCH_ADMIN_WARM_UP ?? 40);
const RATIO_GOAL = 1.2;
const FIRST_PAGE_GOAL_MS = 20;

/**
 * The admin has an authenticator, so next-auth's password-only sign-in refuses them: the bench
 * seals the session cookie the sign-in page would set, with its own server's secret.
 */
async function adminSession(bench: BenchEnv, admin: { id: string; tokenVersion: number; sessionId: string }): Promise<string> {
  const token = await encode({
    token: { sub: admin.id, tv: admin.tokenVersion, sid: admin.sessionId },
    secret: bench.env.NEXTAUTH_SECRET,
    maxAge: 3600,
  });
  return `next-auth.session-token=${token}`;
}

async function getPage(url: string, cookie: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { headers: { ...BROWSER_ENCODINGS, cookie } });
    const html = await res.text();
    if (res.status === 200) return html;
    // The outage page: on a machine this busy the database's heartbeat can come late (lib/platform/events.ts).
    if (res.status !== 503 || attempt >= 40) throw new Error(`${url}: HTTP ${res.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Timing {
  p50: number;
  p90: number;
  /** Server CPU ms per request (process tree, user + system; 10 ms ticks, averaged). */
  cpu?: number;
}

const percentiles = (ms: number[]): Timing => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)], p90: sorted[Math.floor(sorted.length * 0.9)] };
};

async function timed(url: string, cookie: string): Promise<number> {
  const started = performance.now();
  await getPage(url, cookie);
  return performance.now() - started;
}

/**
 * The views in a new order for each sample (a fixed seed: the same orders every run). In a fixed
 * order, a server's young-generation collections fell in step with it: a page allocates ~4 MB and
 * a collection came every 16 MB, so one view — whichever the first collections met — paid for the
 * garbage of all four, ~10 ms more per request for a whole run (its data and session steps were
 * unchanged, and with a 64 MB young generation the step disappeared). Shuffled, each view pays for
 * collections in proportion to what it allocates.
 */
function shuffledOrders(views: number, samples: number): number[][] {
  let seed = 0x9e3779b9;
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: samples }, () => {
    const order = Array.from({ length: views }, (_, v) => v);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  });
}

/**
 * Sequential requests (each time is one page render and its queries, not queueing): each sample
 * requests every view from both apps, in a shuffled order, alternating which app goes first, so
 * that whatever else the machine is doing — and whatever the server is still warming or
 * collecting — weighs on every view and both sizes alike, not on whichever view was being timed
 * at the time.
 */
async function compare(views: [string, string][], cookies: [string, string], pids: [number, number]): Promise<[Timing, Timing][]> {
  const ms = views.map((): [number[], number[]] => [[], []]);
  const cpu = views.map(() => [0, 0]);
  const orders = shuffledOrders(views.length, SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    for (const v of orders[i]) {
      const urls = views[v];
      for (const side of (i + v) % 2 ? [1, 0] : [0, 1]) {
        const before = cpuMillis(pids[side]);
        ms[v][side].push(await timed(urls[side], cookies[side]));
        cpu[v][side] += cpuMillis(pids[side]) - before;
      }
    }
  }
  return views.map((_, v) => [
    { ...percentiles(ms[v][0]), cpu: cpu[v][0] / SAMPLES },
    { ...percentiles(ms[v][1]), cpu: cpu[v][1] / SAMPLES },
  ]);
}

interface Site {
  bench: BenchEnv;
  keys: number;
  seedSeconds: number;
  admin: { id: string; tokenVersion: number; sessionId: string };
  server?: ChildProcess;
  cookie?: string;
  nextHref?: string;
}

async function prepare(keys: number, port: number): Promise<Site> {
  const bench = benchEnvironment(port);
  let seedSeconds = 0;
  let admin = { id: '', tokenVersion: 0, sessionId: '' };
  await prepareDatabase(bench, async ({ db }) => {
    seedSeconds = await seedLargeDataset(db, keys);
    const [row] = await db
      .select({ id: users.id, tokenVersion: users.tokenVersion })
      .from(users)
      .where(eq(users.email, 'admin@keydesk.test'));
    // Every session cookie names its row (lib/identity/sessions.ts).
    const [session] = await db.insert(userSessions).values({ userId: row.id, device: 'Benchmark' }).returning({ id: userSessions.id });
    admin = { ...row, sessionId: session.id };
  });
  return { bench, keys, seedSeconds, admin };
}

async function open(site: Site): Promise<void> {
  site.server = await startServer(site.bench);
  site.cookie = await adminSession(site.bench, site.admin);
  const html = await getPage(`${site.bench.base}/admin/keys`, site.cookie);
  const rows = html.match(/href="\/admin\/keys\/[0-9a-f-]{36}"/g)?.length ?? 0;
  site.nextHref = html.match(/href="(\/admin\/keys\?after=[A-Za-z0-9_-]+)"/)?.[1];
  if (rows < 50 || !site.nextHref) throw new Error(`the admin keys page did not list a full page of keys with a Next link (${rows} rows)`);
}

const ms = (t: Timing) => `${t.p50.toFixed(1)} / ${t.p90.toFixed(1)}`;

export async function benchAdmin(): Promise<void> {
  const port = Number(process.env.BENCH_PORT ?? 3291);
  const database = process.env.DATABASE_URL ? 'PostgreSQL (a fresh database per size)' : 'embedded PGlite (a fresh folder per size)';
  console.log(`\nAdmin keys page — GET /admin/keys signed in as admin, 50 keys a page, ${SAMPLES} requests per size and view, ${database}`);
  const sites: Site[] = [];
  try {
    for (const [i, keys] of [SMALL, LARGE].entries()) {
      sites.push(await prepare(keys, port + i));
      await open(sites[i]);
    }
    const [small, large] = sites as [Site, Site];
    const cookies: [string, string] = [small.cookie!, large.cookie!];
    const views: [string, (site: Site) => string][] = [
      ['first page', (site) => `${site.bench.base}/admin/keys`],
      ['next page', (site) => `${site.bench.base}${site.nextHref}`],
      ['search "tr"', (site) => `${site.bench.base}/admin/keys?q=tr`],
      ['sort=last_used', (site) => `${site.bench.base}/admin/keys?sort=last_used`],
    ];
    const pids: [number, number] = [small.server!.pid!, large.server!.pid!];
    // Every view first, in turn: timing the first view right after start-up would time V8 warming
    // up (the first view measured cost a third more CPU than the others), not the page.
    for (let i = 0; i < WARM_UP; i++) {
      for (const [, url] of views) for (const site of [small, large]) await getPage(url(site), site.cookie!);
    }
    const timings = await compare(
      views.map(([, url]) => [url(small), url(large)]),
      cookies,
      pids,
    );
    const results = views.map(([name], v): [string, Timing, Timing] => [name, ...timings[v]]);
    const size = (n: number) => n.toLocaleString('en');
    console.log(
      `${'view'.padEnd(16)}${`${size(SMALL)} keys p50/p90 ms`.padStart(26)}${`${size(LARGE)} keys p50/p90 ms`.padStart(30)}${'ratio p50'.padStart(11)}${'CPU ms/req'.padStart(16)}`,
    );
    for (const [name, a, b] of results) {
      const ratio = b.p50 / a.p50;
      const cpu = `${a.cpu!.toFixed(1)} / ${b.cpu!.toFixed(1)}`;
      console.log(
        `${name.padEnd(16)}${ms(a).padStart(26)}${ms(b).padStart(30)}${ratio.toFixed(2).padStart(11)}${cpu.padStart(16)}${ratio <= RATIO_GOAL ? '' : '  ← ratio above the goal'}`,
      );
    }
    console.log(
      `seeded: ${size(SMALL)} keys in ${small.seedSeconds.toFixed(1)} s, ${size(LARGE)} keys in ${large.seedSeconds.toFixed(1)} s`,
    );
    const worst = Math.max(...results.map(([, a, b]) => b.p50 / a.p50));
    const first = results[0][2].p50;
    console.log(
      `goals: every view's ${size(LARGE)} / ${size(SMALL)} ratio ≤ ${RATIO_GOAL} (worst ${worst.toFixed(2)}: ${worst <= RATIO_GOAL ? 'met' : 'MISSED'}); ` +
        `first page p50 at ${size(LARGE)} keys ≤ ${FIRST_PAGE_GOAL_MS} ms (${first.toFixed(1)} ms: ${first <= FIRST_PAGE_GOAL_MS ? 'met' : 'MISSED'})`,
    );
  } finally {
    for (const site of sites) if (site.server) await stopServer(site.bench, site.server);
  }
}
