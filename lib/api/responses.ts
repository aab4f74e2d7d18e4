import { log } from '@/lib/platform/log';
import { toApiError } from './errors';

/** What an API call is answered: REST sends it as JSON; the WebSocket API puts its error in its own message. */
export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** `body` already serialized, when it was kept from an earlier answer (see okJsonOf). */
  json?: string;
}

// Answers served from memory (balances, wallet, order lists) are frozen objects shared by every
// call until they change: each is serialized once, not once per request.
const servedJson = new WeakMap<object, string>();

function okJsonOf(data: object): string {
  let json = servedJson.get(data);
  if (json === undefined) {
    json = JSON.stringify({ ok: 'ok', data });
    servedJson.set(data, json);
  }
  return json;
}

/** An action's result as its 200 answer; frozen results (served from memory) are serialized once. */
export function okResponse(data: unknown): ApiResponse {
  const shared = typeof data === 'object' && data !== null && Object.isFrozen(data);
  return { status: 200, body: { ok: 'ok', data }, json: shared ? okJsonOf(data) : undefined };
}

export function errorResponse(error: unknown): ApiResponse {
  const refusal = toApiError(error);
  if (refusal) {
    return {
      status: refusal.status,
      body: { error: refusal.message },
      headers: refusal.retryAfterSeconds ? { 'Retry-After': String(refusal.retryAfterSeconds) } : undefined,
    };
  }
  log.error({ err: error }, 'unexpected error in an API call');
  return { status: 500, body: { error: 'Internal error' } };
}
