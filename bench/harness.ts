import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { openDatabase, type DbHandle } from '@/db/client';
import { seedDemo } from '@/lib/identity/demo-accounts';

export const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** What Chromium asks for: a page costs what compressing it for a browser costs. */
export const BROWSER_ENCODINGS = { 'accept-encoding': 'gzip, deflate, br, zstd' };

/** `DATABASE_URL`, if set: a local server only, whose CPU the benchmarks read (postgresCpuMillis). */
export function localPostgresUrl(): string | undefined {
  const server = process.env.DATABASE_URL;
  if (server && !/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(server)) throw new Error('the benchmark only runs against a local PostgreSQL');
  return server;
}

/**
 * A built app on a fresh database of its own, as `npm start` runs it: embedded PGlite, or with
 * `DATABASE_URL` a new database on that (local) PostgreSQL server, dropped afterwards.
 */
export function benchEnvironment(port: number) {
  const base = `http://127.0.0.1:${port}`;
  const server = localPostgresUrl();
  const database = server ? `keydesk_bench_${Date.now()}` : null;
  return {
    base,
    serverUrl: server ?? null,
    database,
    env: {
      ...process.env,
      NODE_ENV: 'production' as const,
      PORT: String(port),
      NEXTAUTH_URL: base,
      NEXTAUTH_SECRET: 'bench-only-nextauth-secret-000000000000',
      KEYDESK_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      KEYDESK_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'keydesk-bench-')),
      KEYDESK_API_RATE_LIMIT: '1000000000',
      // No embedded-database maintenance pass inside a measured run: one (a second at a million
      // keys, PGlite's statements waiting for it) would land in one route's figures.
      KEYDESK_EMBEDDED_VACUUM_INTERVAL_MS: '3600000',
      DATABASE_URL: server && database ? server.replace(/\/[^/]*$/, `/${database}`) : '',
    },
  };
}

async function onServer(bench: BenchEnv, statement: string): Promise<void> {
  if (!bench.serverUrl) return;
  const admin = postgres(bench.serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end();
  }
}

export type BenchEnv = ReturnType<typeof benchEnvironment>;

/** Seeds the bench database before the server opens it (one process at a time on PGlite). */
export async function prepareDatabase(bench: BenchEnv, fill: (handle: DbHandle) => Promise<void>): Promise<void> {
  process.env.KEYDESK_ENCRYPTION_KEY = bench.env.KEYDESK_ENCRYPTION_KEY;
  if (bench.database) await onServer(bench, `create database ${bench.database}`);
  const handle = bench.database
    ? openDatabase({ url: bench.env.DATABASE_URL })
    : openDatabase({ dir: path.join(bench.env.KEYDESK_DATA_DIR, 'pglite') });
  await handle.migrate();
  await seedDemo(handle.db);
  await fill(handle);
  await handle.close();
}

/** Starts the app; `onTiming` receives its `page-timing` lines (lib/platform/page-timing.ts), the rest of stderr passes through. */
export async function startServer(bench: BenchEnv, onTiming?: (line: string) => void): Promise<ChildProcess> {
  // BENCH_CPU_PROF=<folder>: the server writes a V8 CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF;
  const args = profile
    ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, '--import', 'tsx', 'server.ts']
    : ['node_modules/tsx/dist/cli.mjs', 'server.ts'];
  const server = spawn(process.execPath, args, {
    env: bench.env,
    stdio: ['ignore', 'ignore', onTiming ? 'pipe' : 'inherit'],
  });
  if (onTiming) {
    createInterface({ input: server.stderr! }).on('line', (line) => {
      if (line.startsWith('page-timing ')) onTiming(line);
      else process.stderr.write(`${line}\n`);
    });
  }
  try {
    await waitFor(`${bench.base}/api/health`);
  } catch {
    server.kill();
    throw new Error('the app did not start (did you run `npm run build`?)');
  }
  return server;
}

/** Until `url` answers at all (any status), for up to 40 s. */
export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 160; i++) {
    try {
      await fetch(url, { method: 'POST' });
      return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} never answered`);
}

export async function stopServer(bench: BenchEnv, server: ChildProcess): Promise<void> {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(bench.env.KEYDESK_DATA_DIR, { recursive: true, force: true });
  if (bench.database) await onServer(bench, `drop database if exists ${bench.database} with (force)`);
}

export interface LoadResult {
  /** Server CPU (user + system, the whole process tree) per request, in ms, when measured. */
  cpuMs?: number;
  /** With a PostgreSQL server: its processes' CPU per request, in ms, when the server's is measured. */
  databaseCpuMs?: number;
  p50: number;
  /** Mean latency: autocannon's percentiles are whole milliseconds, too coarse for a ratio of small numbers. */
  mean: number;
  p99: number;
  rps: number;
}

export async function load(options: {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Builds each request afresh (a mutating call needs its own body and signature every time). */
  perRequest?: () => { headers: Record<string, string>; body: string };
  /** The server's process, to measure its CPU time per request. */
  serverPid?: number;
}): Promise<LoadResult> {
  const { perRequest, serverPid, ...fixed } = options;
  const requests = perRequest ? [{ setupRequest: (req: object) => ({ ...req, ...perRequest() }) }] : undefined;
  const cpuBefore = serverPid === undefined ? 0 : cpuMillis(serverPid);
  const databaseBefore = postgresCpuMillis();
  const started = performance.now();
  const result = await autocannon({ ...fixed, requests, connections: CONNECTIONS, duration: DURATION_SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${options.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  // Less what the server spends with nobody asking (timers, heartbeats), measured by idleCpu.
  const idle = ((idleCpuPerSecond.get(serverPid ?? 0) ?? 0) * (performance.now() - started)) / 1000;
  const cpuMs = serverPid === undefined ? undefined : (cpuMillis(serverPid) - cpuBefore - idle) / result.requests.total;
  const databaseCpuMs =
    serverPid === undefined || !process.env.DATABASE_URL ? undefined : (postgresCpuMillis() - databaseBefore) / result.requests.total;
  return {
    cpuMs,
    databaseCpuMs,
    p50: result.latency.p50,
    mean: result.latency.mean,
    p99: result.latency.p99,
    rps: result.requests.average,
  };
}

const idleCpuPerSecond = new Map<number, number>();

/** The server's CPU ms per second with no requests, over `seconds`; later loads subtract it. */
export async function measureIdleCpu(serverPid: number, seconds = 4): Promise<number> {
  const before = cpuMillis(serverPid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const rate = (cpuMillis(serverPid) - before) / seconds;
  idleCpuPerSecond.set(serverPid, rate);
  return rate;
}

/** Linux's clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every usual kernel). */
const TICKS_PER_SECOND = 100;

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return []; // exited
  }
}

/**
 * CPU time (ms) used so far by `pid` and every process below it — the server runs under tsx,
 * which starts node as its child. Wall-clock throughput on a shared machine is noisy; the server's
 * own CPU per request is not. Summed over each thread's time on a CPU in nanoseconds
 * (/proc/<pid>/task/<tid>/schedstat): /proc/<pid>/stat counts 10 ms clock ticks, too coarse for
 * one request of a few milliseconds (the admin bench measures each request on its own).
 */
export function cpuMillis(pid: number): number {
  let nanoseconds = 0;
  for (const p of [pid, ...childrenOf(pid).flatMap((c) => [c, ...childrenOf(c)])]) {
    try {
      for (const tid of readdirSync(`/proc/${p}/task`)) {
        nanoseconds += Number(readFileSync(`/proc/${p}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      }
    } catch {
      // exited meanwhile
    }
  }
  return nanoseconds / 1e6;
}

/**
 * CPU time (ms) used so far by the local PostgreSQL server's processes (the benchmark only runs
 * against a local one): what a call costs the database, next to what it costs the app.
 */
function postgresCpuMillis(): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** A route of a floor benchmark; `goal` is the least share of the floor's throughput, in %. */
export interface Route {
  name: string;
  run: () => Promise<LoadResult>;
  goal?: number;
  p99Goal?: number;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Per route, the median of each figure, and each round's own figures. */
export type RoundResult = LoadResult & { rounds: LoadResult[] };

/**
 * Each route warmed once (a route's first seconds measure the JIT), then `rounds` rounds of every
 * route in turn; per route, the median of each figure, and the rounds themselves (againstFloor).
 */
export async function interleaved(routes: Route[], rounds: number): Promise<RoundResult[]> {
  for (const route of routes) await route.run();
  const runs: LoadResult[][] = routes.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, route] of routes.entries()) runs[i].push(await route.run());
  }
  return runs.map((r) => ({
    cpuMs: r[0].cpuMs === undefined ? undefined : median(r.map((x) => x.cpuMs!)),
    databaseCpuMs: r[0].databaseCpuMs === undefined ? undefined : median(r.map((x) => x.databaseCpuMs!)),
    p50: median(r.map((x) => x.p50)),
    mean: median(r.map((x) => x.mean)),
    p99: median(r.map((x) => x.p99)),
    rps: median(r.map((x) => x.rps)),
    rounds: r,
  }));
}

/**
 * A route next to the floor, round by round: `ratio` of each round's figures (the route's and the
 * floor's, measured minutes apart at most), then their median and range. The machine's speed
 * drifts over a run; a ratio of two medians can pair a fast moment of one with a slow one of the
 * other, while each round's pair shares its moment.
 */
export function againstFloor(
  route: RoundResult,
  floor: RoundResult,
  ratio: (route: LoadResult, floor: LoadResult) => number,
): { median: number; min: number; max: number } {
  const ratios = route.rounds.map((r, i) => ratio(r, floor.rounds[i]));
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** The first route is the floor; every other is printed as a share of it, against its goal. */
export function reportAgainstFloor(title: string, routes: Route[], results: RoundResult[]): void {
  const database = process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite';
  console.log(`\n${title} — ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run, ${database}`);
  const cpu = (ms: number | undefined) => (ms === undefined ? '' : `${Math.round(ms * 1000)} µs`);
  console.log(
    `${'route'.padEnd(44)} ${'req/s'.padStart(7)} ${'of floor (rounds)'.padStart(17)} ${'mean'.padStart(9)} ${'p99'.padStart(7)} ${'app CPU'.padStart(8)} ${'db CPU'.padStart(7)}  goal`,
  );
  for (const [i, route] of routes.entries()) {
    const r = results[i];
    const { median: share, min, max } = againstFloor(r, results[0], (route, floor) => (route.rps / floor.rps) * 100);
    const shown = i === 0 ? '100%' : `${share.toFixed(0)}% (${min.toFixed(0)}–${max.toFixed(0)})`;
    const goals = [
      route.goal === undefined ? '' : `≥ ${route.goal}% ${share >= route.goal ? 'met' : 'MISSED'}`,
      route.p99Goal === undefined ? '' : `p99 ≤ ${route.p99Goal} ms ${r.p99 <= route.p99Goal ? 'met' : 'MISSED'}`,
    ].filter(Boolean);
    console.log(
      `${route.name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} ${shown.padStart(17)} ${`${r.mean.toFixed(2)} ms`.padStart(9)} ${`${r.p99} ms`.padStart(7)} ${cpu(r.cpuMs).padStart(8)} ${cpu(r.databaseCpuMs).padStart(7)}  ${goals.join(', ')}`,
    );
  }
  console.log(
    "of floor: the median of each round's share of the floor's throughput in that round (their range in brackets); req/s, mean, p99 and CPU: medians of the rounds.",
  );
  console.log("app CPU: the serving process's CPU per request (the floor's own for the floor); db CPU: PostgreSQL's.");
}

/** Signs in the way any next-auth client would (CSRF token, then the credentials callback). */
export async function signInWithPassword(bench: BenchEnv, email: string): Promise<string> {
  const csrf = await fetch(`${bench.base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const res = await fetch(`${bench.base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password: 'keydesk-demo', json: 'true' }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='));
  if (!session) throw new Error(`sign-in of ${email} failed (${res.status})`);
  return session.split(';')[0];
}
