import pino from 'pino';

/**
 * The server's log: one JSON line per request and per event on stdout (pino), for whatever
 * collects the process's output. Callers pass ids, masked addresses and error messages — never a
 * secret, code, password, signature or message body; the redaction below is a second line of
 * defence for fields with those names. `KEYDESK_LOG_LEVEL` (default info; `silent` to mute).
 */
export const log = pino(
  {
    level: process.env.KEYDESK_LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['secret', 'password', 'code', 'signature', 'body', '*.secret', '*.password', '*.code', '*.signature', '*.body'],
      censor: '[redacted]',
    },
  },
  // Asynchronous: lines written while one write is in flight go out together, so a busy API pays
  // a syscall per batch, not per request (pino flushes what is pending when the process exits).
  pino.destination({ dest: 1, sync: false }),
);

/** An error's message (the stack only for the unexpected: pass the Error itself as `err` then). */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
