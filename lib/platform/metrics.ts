import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { count, isNotNull } from 'drizzle-orm';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { TallyCounter, TallyHistogram, type Tally } from './tallies';
import type { DbHandle } from '@/db/client';
import { outboxMessages } from '@/db/schema';
import { withDeadline } from './database';
import { metricsAllow } from './config';
import { eventHub } from './events';
import { isIpAllowed } from './ip-whitelist';
import { logRequest } from './log';

/** API calls being answered now, across this process's gateways: a plain number, read at scrape time. */
let apiCallsInFlight = 0;
export const apiCallStarted = () => void apiCallsInFlight++;
export const apiCallEnded = () => void apiCallsInFlight--;

/**
 * Prometheus metrics of this process (prom-client), served at /metrics to loopback and the
 * KEYDESK_METRICS_ALLOW ranges only (metricsListener). Label values come from closed sets — route
 * kinds, registered action names, outcomes, cache names — so no caller can grow them.
 */
class Metrics {
  readonly registry = new Registry();
  readonly requests = new TallyCounter(this.registry, {
    name: 'keydesk_http_requests_total',
    help: 'HTTP requests answered, by route kind and status',
    labelNames: ['route', 'status'] as const,
  });
  readonly requestSeconds = new TallyHistogram(this.registry, {
    name: 'keydesk_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route kind',
    labelName: 'route',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  readonly apiCalls = new TallyCounter(this.registry, {
    name: 'keydesk_api_calls_total',
    help: 'API calls (REST and WebSocket) by action and outcome: ok, or why refused',
    labelNames: ['action', 'outcome'] as const,
  });
  readonly rateLimited = new TallyCounter(this.registry, {
    name: 'keydesk_api_rate_limit_refusals_total',
    help: 'API calls refused by the per-key rate limit',
  }).of();
  readonly cacheLookups = new TallyCounter(this.registry, {
    name: 'keydesk_cache_lookups_total',
    help: 'Reads of the in-memory caches (keys, balances, wallet, order lists), hit or miss',
    labelNames: ['cache', 'result'] as const,
  });
  readonly webSockets = new Gauge({
    name: 'keydesk_websocket_connections',
    help: 'Open WebSocket connections, by socket',
    labelNames: ['socket'] as const,
    registers: [this.registry],
  });
  readonly callsInFlight = new Gauge({
    name: 'keydesk_api_calls_in_flight',
    help: 'API calls being answered now (each may hold a database connection)',
    registers: [this.registry],
    collect() {
      this.set(apiCallsInFlight);
    },
  });
  private db: (() => DbHandle) | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'keydesk_' });
    new Gauge({
      name: 'keydesk_notifications_up',
      help: '1 while this process hears its own heartbeat: change notifications arrive and caches are trusted',
      registers: [this.registry],
      collect() {
        this.set(eventHub().hears() ? 1 : 0);
      },
    });
    const database = () => this.db;
    new Gauge({
      name: 'keydesk_outbox_backlog',
      help: 'Messages (codes) waiting to be delivered by the outbox dispatcher',
      registers: [this.registry],
      async collect() {
        const db = database();
        if (!db) return;
        const [row] = await withDeadline(
          db().db.select({ n: count() }).from(outboxMessages).where(isNotNull(outboxMessages.nextAttemptAt)),
          1000,
        ).catch(() => [undefined]);
        if (row) this.set(row.n);
      },
    });
    new Gauge({
      name: 'keydesk_db_connections',
      help: "This process's PostgreSQL connections as the server lists them: max (the pool's and the LISTEN one), open, busy (running a statement)",
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const db = database();
        const use = db && (await withDeadline(db().pool(), 1000).catch(() => null));
        if (!use) return; // PGlite has no pool; a database that does not answer leaves the last figures
        this.set({ state: 'max' }, use.max);
        this.set({ state: 'open' }, use.open);
        this.set({ state: 'busy' }, use.busy);
      },
    });
  }

  /** The database the scrape-time gauges read (the server's). */
  useDatabase(db: () => DbHandle): void {
    this.db = db;
  }
}

const store = globalThis as typeof globalThis & { __keydeskMetrics?: Metrics };

export function metrics(): Metrics {
  store.__keydeskMetrics ??= new Metrics();
  return store.__keydeskMetrics;
}

const OUTCOMES: Record<number, string> = {
  200: 'ok',
  400: 'bad_request',
  401: 'auth_failed',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  415: 'bad_request',
  422: 'invalid',
  429: 'rate_limited',
  503: 'unavailable',
};

/** What an API answer's status says about the call, for keydesk_api_calls_total. */
export const outcomeOf = (status: number) => OUTCOMES[status] ?? (status >= 500 ? 'error' : 'other');

// Tallies looked up by plain map reads: a call allocates nothing to be counted.
const callTallies = new Map<string, Map<number, Tally>>();
const requestTallies = new Map<string, Map<number, Tally>>();

function tallyOf(tallies: Map<string, Map<number, Tally>>, first: string, status: number, make: () => Tally): Tally {
  let byStatus = tallies.get(first);
  if (!byStatus) tallies.set(first, (byStatus = new Map()));
  let tally = byStatus.get(status);
  if (!tally) byStatus.set(status, (tally = make()));
  return tally;
}

const requestTally = (route: string, status: number) =>
  tallyOf(requestTallies, route, status, () => metrics().requests.of({ route, status: String(status) }));

/** Counts one API call (REST or WebSocket); `action` must be a registered name or 'unknown'. */
export function countApiCall(action: string, status: number): void {
  tallyOf(callTallies, action, status, () => metrics().apiCalls.of({ action, outcome: outcomeOf(status) })).inc();
  if (status === 429) metrics().rateLimited.inc();
}

/** Where a request went, as a bounded label. */
export function routeKindOf(url: string): string {
  if (url.startsWith('/api/rest/')) return 'api_rest';
  if (url.startsWith('/api/rest-public/')) return 'api_public';
  if (url === '/metrics') return 'metrics';
  if (url.startsWith('/api/')) return 'api_other';
  if (url.startsWith('/_next/')) return 'asset';
  return 'page';
}

// An id a proxy (nginx's $request_id) or client may send to follow a request through the logs.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

interface Pending {
  started: number;
  reqId: string;
  clientIp: (req: IncomingMessage) => string | null;
}

// Where a response answered by the API itself keeps what `answered` needs.
const PENDING = Symbol('keydesk.pendingRequest');
type Tracked = ServerResponse & { [PENDING]?: Pending };

/**
 * Every request the listener answers: an `X-Request-Id` (the caller's, if well formed, else a new
 * one) echoed in the response, then — once answered — counted and timed by route kind and status,
 * and logged as one JSON line (the path without its query, which may carry tokens). The API
 * answers itself and calls `answered` as it does, sparing each call a 'finish' listener.
 */
export function instrumented(listener: RequestListener, clientIp: (req: IncomingMessage) => string | null): RequestListener {
  return (req, res) => {
    const started = performance.now();
    const given = req.headers['x-request-id'];
    const reqId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', reqId);
    const route = routeKindOf(req.url ?? '');
    if (route === 'api_rest' || route === 'api_public') (res as Tracked)[PENDING] = { started, reqId, clientIp };
    else res.once('finish', () => record(req, res, route, { started, reqId, clientIp }));
    listener(req, res);
  };
}

/** For a listener that ends its own responses (lib/api/http-api.ts): the request is counted and logged now. */
export function answered(req: IncomingMessage, res: ServerResponse): void {
  const pending = (res as Tracked)[PENDING];
  if (!pending) return; // not behind `instrumented` (a test's bare listener)
  (res as Tracked)[PENDING] = undefined;
  record(req, res, routeKindOf(req.url ?? ''), pending);
}

/** The one-time token of a "This wasn't me" link (lib/identity/not-me-links.ts) is a credential: not for the log. */
const withoutLinkToken = (path: string) => path.replace(/^(\/settings\/security\/not-me\/)[^/]+/, '$1[token]');

function record(req: IncomingMessage, res: ServerResponse, route: string, { started, reqId, clientIp }: Pending): void {
  const ms = performance.now() - started;
  requestTally(route, res.statusCode).inc();
  metrics().requestSeconds.observe(route, ms / 1000);
  const url = req.url ?? '';
  const query = url.indexOf('?');
  logRequest({
    reqId,
    method: req.method,
    route,
    path: withoutLinkToken(query === -1 ? url : url.slice(0, query)).slice(0, 200),
    status: res.statusCode,
    ms: Math.round(ms * 100) / 100,
    ip: clientIp(req),
  });
}

/**
 * GET /metrics, answered before Next: to loopback and KEYDESK_METRICS_ALLOW only (the caller's
 * address as clientIp resolves it, so a proxy on this machine does not make everyone loopback).
 */
export function metricsListener(clientIp: (req: IncomingMessage) => string | null) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if ((req.url ?? '').split('?')[0] !== '/metrics') return false;
    const ip = clientIp(req);
    const allow = metricsAllow();
    // isIpAllowed treats an empty list as "any address" (a key's whitelist): here empty means none.
    const allowed = ip !== null && (isLoopback(ip) || (allow.length > 0 && isIpAllowed(allow, ip)));
    if (!allowed) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden: metrics are for this machine and KEYDESK_METRICS_ALLOW.\n');
      return true;
    }
    metrics()
      .registry.metrics()
      .then(
        (text) => res.writeHead(200, { 'content-type': metrics().registry.contentType, 'cache-control': 'no-store' }).end(text),
        () => res.writeHead(500).end(),
      );
    return true;
  };
}

const isLoopback = (ip: string) => ip === '::1' || ip.startsWith('127.');
