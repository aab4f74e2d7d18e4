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

/** A call's JSON body (an empty one is no params); refused with 400 when it is not JSON. */
export function parseBody(rawBody: Buffer): unknown {
  const text = rawBody.toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'Malformed JSON body');
  }
}
