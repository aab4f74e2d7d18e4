import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, RequestListener } from 'node:http';

/**
 * Where a page request's time goes: with `KEYDESK_PAGE_TIMING=1`, a request carrying the header
 * `x-keydesk-timing: 1` gets one line on stderr when its response ends —
 * `page-timing GET /settings/api-keys total=9.1 queries=3 session=0.4x1 user=1.2x1 data=2.3x1` (ms,
 * and how many times each step ran; `queries` counts the statements sent to the database). What the steps leave of `total` is React rendering and Next itself.
 * Off by default; when off, `timedStep` is one property read and the listener is the one given.
 */

export type TimingStep = 'session' | 'user' | 'data';

interface RequestTiming {
  steps: Map<TimingStep, { ms: number; count: number }>;
  queries: number;
}

// On globalThis: the custom server and Next's route bundles load this module separately, and both
// must see the one store.
const store = globalThis as typeof globalThis & { __keydeskPageTiming?: AsyncLocalStorage<RequestTiming> };

export function pageTimingEnabled(): boolean {
  return process.env.KEYDESK_PAGE_TIMING === '1';
}

const wanted = (req: IncomingMessage) => req.headers['x-keydesk-timing'] === '1';

/** Wraps the page listener: a timed request runs inside its own record, printed when it ends. */
export function withPageTiming(listener: RequestListener): RequestListener {
  if (!pageTimingEnabled()) return listener;
  const storage = (store.__keydeskPageTiming ??= new AsyncLocalStorage<RequestTiming>());
  return (req, res) => {
    if (!wanted(req)) return listener(req, res);
    const record: RequestTiming = { steps: new Map(), queries: 0 };
    const started = performance.now();
    res.once('finish', () => {
      const steps = [...record.steps].map(([name, s]) => `${name}=${s.ms.toFixed(2)}x${s.count}`);
      const path = (req.url ?? '').split('?')[0];
      const total = (performance.now() - started).toFixed(2);
      process.stderr.write(`page-timing ${req.method} ${path} total=${total} queries=${record.queries} ${steps.join(' ')}\n`);
    });
    storage.run(record, () => listener(req, res));
  };
}

/** Runs `work`, adding its time to the step's total when the current request is being timed. */
export async function timedStep<T>(step: TimingStep, work: () => Promise<T>): Promise<T> {
  const record = store.__keydeskPageTiming?.getStore();
  if (!record) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    const entry = record.steps.get(step) ?? { ms: 0, count: 0 };
    entry.ms += performance.now() - started;
    entry.count += 1;
    record.steps.set(step, entry);
  }
}

/** Counts a statement sent to the database for the current request, when it is being timed. */
export function noteQuery(): void {
  const record = store.__keydeskPageTiming?.getStore();
  if (record) record.queries += 1;
}
