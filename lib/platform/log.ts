import pino from 'pino';

/**
 * The server's log: one JSON line per request and per event on stdout (pino), for whatever
 * collects the process's output. `KEYDESK_LOG_LEVEL` (default info; `silent` to mute).
 */

// Buffered: a busy API writes its lines 4 KB at a time instead of one write per request; a timer
// sends what waits at least every second, and pino flushes what is left when the process exits.
const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
setInterval(() => destination.flush(), 1000).unref();

const common = {
  level: process.env.KEYDESK_LOG_LEVEL ?? 'info',
  base: { pid: process.pid },
  // Milliseconds since the epoch (pino's default): cheaper per line than an ISO string.
  timestamp: pino.stdTimeFunctions.epochTime,
};

/**
 * Events. Callers pass ids, masked addresses and error messages — never a secret, code, password,
 * signature or message body; fields so named are redacted as a second line of defence.
 */
export const log = pino(
  {
    ...common,
    redact: {
      paths: ['secret', 'password', 'code', 'signature', 'body', '*.secret', '*.password', '*.code', '*.signature', '*.body'],
      censor: '[redacted]',
    },
  },
  destination,
);

const requestLogger = pino(common, destination);

/** Where request lines go: pino's level and destination (an object, so a test can watch it). */
export const requestLines = {
  enabled: (): boolean => requestLogger.isLevelEnabled('info'),
  write: (line: string): void => void destination.write(line),
};

export interface RequestLine {
  reqId: string;
  method: string | undefined;
  route: string;
  path: string;
  status: number;
  ms: number;
  ip: string | null;
}

/**
 * One line per request (lib/platform/metrics.ts `instrumented`), with fixed fields only — an id,
 * method, route kind, path without its query, status, time, address — so it needs no redaction.
 * The line pino would write, built by one JSON.stringify of a fixed shape: pino's general path
 * (key by key, for any object) was the largest cost an API call added to its floor.
 */
export function logRequest(line: RequestLine): void {
  if (!requestLines.enabled()) return;
  const { reqId, method, route, path, status, ms, ip } = line;
  requestLines.write(
    `${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, reqId, method, route, path, status, ms, ip, msg: 'request' })}\n`,
  );
}

/** An error's message (the stack only for the unexpected: pass the Error itself as `err` then). */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
