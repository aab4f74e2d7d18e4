import { keyState, type KeyState } from '@/lib/keys/state';
import type { ApiKeyRecord } from './key-store';
import type { RefusalDetail, RefusalReason } from './refusals';

/** The checks a REST call and a WebSocket request share: the key's state, and the call's timestamp. */

/** Why a key cannot be used now (its state, lib/keys/state.ts), or null: the same rule for REST and WebSocket. */
export function keyUnusableReason(key: ApiKeyRecord, now: Date): Exclude<KeyState, 'active'> | null {
  const state = keyState(key, now);
  return state === 'active' ? null : state;
}

/** The refusal reason for a key that cannot be used now: its state, with "inactive" told apart by whether it was ever activated. */
export function unusableKeyRefusal(key: ApiKeyRecord, now: Date): RefusalReason | null {
  const state = keyUnusableReason(key, now);
  if (state === 'inactive') return key.activatedAt ? 'deactivated' : 'not_activated';
  return state;
}

const timestampValue = (timestamp: string | number): number =>
  typeof timestamp === 'number' ? timestamp : /^\d{1,12}(\.\d{1,6})?$/.test(timestamp) ? Number(timestamp) : NaN;

export function timestampWithin(timestamp: string | number, now: Date, windowSeconds: number): boolean {
  const value = timestampValue(timestamp);
  return Number.isFinite(value) && Math.abs(now.getTime() / 1000 - value) <= windowSeconds;
}

/** What explains a timestamp refusal: the server's time minus the call's, in whole seconds (null if not a number). */
export function timestampRefusalDetail(timestamp: string | number, now: Date, windowSeconds: number): RefusalDetail {
  const value = timestampValue(timestamp);
  return { offsetSeconds: Number.isFinite(value) ? Math.round(now.getTime() / 1000 - value) : null, windowSeconds };
}
