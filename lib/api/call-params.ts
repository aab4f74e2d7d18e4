import type { ApiAction } from './action';
import { ApiError } from './errors';

/** A call's params, as its action's schema reads them: refused with 422 naming the first bad field. */
export function parseParams(action: ApiAction, raw: unknown): unknown {
  const parsed = action.params.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : 'params';
  throw new ApiError(422, `${field}: ${issue.message}`);
}

/**
 * JSON text as the API reads it, REST bodies and WebSocket messages alike. JSON can escape half of
 * a UTF-16 surrogate pair ("\ud800"), which no text encoding carries: PostgreSQL refuses it in
 * text and JSON, so a call holding one anywhere is refused here rather than failing where a field
 * is stored. Only an escape makes one (decoding UTF-8 never does), so most texts skip the walk.
 */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string | null } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: null };
  }
  if (text.includes('\\u') && !wellFormed(value)) return { ok: false, problem: 'a string holds half of a UTF-16 surrogate pair' };
  return { ok: true, value };
}

/** What a refusal says: "Malformed JSON body", and why when there is more to say than "not JSON". */
export const malformed = (what: string, problem: string | null) =>
  problem ? `Malformed JSON ${what}: ${problem}` : `Malformed JSON ${what}`;

/** Every string and key well-formed UTF-16; a loop, not recursion, as a 64 KB body nests 30,000 deep. */
function wellFormed(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return false;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (!key.isWellFormed()) return false;
        pending.push(item);
      }
    }
  }
  return true;
}

/** A call's JSON body (an empty one is no params); refused with 400 when it is not JSON. */
export function parseBody(rawBody: Buffer): unknown {
  const text = rawBody.toString('utf8');
  if (!text.trim()) return {};
  const parsed = parseJson(text);
  if (parsed.ok) return parsed.value;
  throw new ApiError(400, malformed('body', parsed.problem));
}
