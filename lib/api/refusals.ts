import { PERMISSION_LABELS, type Permission } from '@/lib/keys/permissions';

/**
 * Why the API refused a call of a known key, in plain words with the fix: the one home of these
 * explanations, for REST and WebSocket alike. The gateway records a reason and the few facts that
 * explain it (lib/api/usage.ts); the key's page turns them into words here. The wire answers stay
 * CEX.IO's ("Authorization Failed"): only the key's owner reads the why.
 *
 * A detail never holds the secret, the signature or the body: only a clock offset, an address, a
 * permission, a limit.
 */
export const REFUSAL_REASONS = [
  'signature',
  'credentials_missing',
  'timestamp',
  'not_activated',
  'deactivated',
  'expired',
  'suspended',
  'revoked',
  'address',
  'permission',
  'rate_limit',
  'replay',
] as const;

export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type ApiTransport = 'rest' | 'ws';

export interface RefusalDetail {
  /** Server time minus the call's timestamp, in whole seconds; null when the timestamp was not a number. */
  offsetSeconds?: number | null;
  windowSeconds?: number;
  permission?: string;
  limitPerMinute?: number;
}

export interface RecordedRefusal {
  reason: string;
  transport: ApiTransport;
  action: string;
  address: string | null;
  detail: RefusalDetail | Record<string, unknown>;
}

export interface RefusalExplanation {
  /** What went wrong, e.g. "timestamp 41 s behind the server (window ±30 s)". */
  what: string;
  /** What to do about it. */
  fix: string;
}

export const isRefusalReason = (value: string): value is RefusalReason => (REFUSAL_REASONS as readonly string[]).includes(value);

const numberOr = (value: unknown, fallback: number | null): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

function permissionLabel(value: unknown): string {
  return typeof value === 'string' && value in PERMISSION_LABELS ? PERMISSION_LABELS[value as Permission] : 'required';
}

/** Short names for the outcome columns (per action, per hour). */
export const REFUSAL_LABELS: Record<RefusalReason, string> = {
  signature: 'Wrong signature',
  credentials_missing: 'Signature or timestamp missing',
  timestamp: 'Timestamp out of window',
  not_activated: 'Key not activated',
  deactivated: 'Key deactivated',
  expired: 'Key expired',
  suspended: 'Key suspended',
  revoked: 'Key revoked',
  address: 'Address not whitelisted',
  permission: 'Permission missing',
  rate_limit: 'Rate limit',
  replay: 'Repeated request',
};

export function explainRefusal(refusal: RecordedRefusal): RefusalExplanation {
  const detail = refusal.detail as Record<string, unknown>;
  const ws = refusal.transport === 'ws';
  if (!isRefusalReason(refusal.reason)) return { what: `refused (${refusal.reason})`, fix: 'see the API documentation' };
  switch (refusal.reason) {
    case 'signature':
      return ws
        ? {
            what: 'signature does not match',
            fix: 'check that you sign timestamp + API key (HMAC-SHA256, hex), with the secret as its UTF-8 text',
          }
        : {
            what: 'signature does not match',
            fix: 'check that you sign action + timestamp + the exact body, with the secret as its UTF-8 text',
          };
    case 'credentials_missing':
      return ws
        ? { what: 'the auth message has no signature or timestamp', fix: 'send auth.signature and auth.timestamp with auth.key' }
        : { what: 'the X-AGGR-SIGNATURE or X-AGGR-TIMESTAMP header is missing', fix: 'send both headers with every call' };
    case 'timestamp': {
      const window = numberOr(detail.windowSeconds, ws ? 20 : 30);
      const offset = numberOr(detail.offsetSeconds, null);
      const fix = "set the caller's clock by NTP and send the current time in unix seconds";
      if (offset === null) return { what: `timestamp is not a number of unix seconds (window ±${window} s)`, fix };
      const side = offset >= 0 ? 'behind' : 'ahead of';
      return { what: `timestamp ${Math.abs(Math.round(offset))} s ${side} the server (window ±${window} s)`, fix };
    }
    case 'not_activated':
      return { what: 'the key has not been activated yet', fix: 'activate it from this page with the code sent by email' };
    case 'deactivated':
      return {
        what: 'the key is deactivated',
        fix: 'activate it again from this page (an edit that widens access deactivates the key too)',
      };
    case 'expired':
      return { what: 'the key has expired', fix: 'edit its expiry date, or create a new key' };
    case 'suspended':
      return { what: 'the key is suspended by an administrator', fix: 'contact support: only an administrator can lift a suspension' };
    case 'revoked':
      return { what: 'the key was revoked by an administrator, for good', fix: 'create a new key' };
    case 'address':
      return refusal.address
        ? {
            what: `address ${refusal.address} is not on this key's whitelist`,
            fix: 'add it by editing the key, or call from an address on the list',
          }
        : { what: "the caller's address is unknown and this key has a whitelist", fix: 'call from an address on the list' };
    case 'permission':
      return {
        what: `the key lacks the ${permissionLabel(detail.permission)} permission for ${refusal.action}`,
        fix: 'edit the key to add it (adding a permission deactivates the key until it is activated again)',
      };
    case 'rate_limit': {
      const limit = numberOr(detail.limitPerMinute, null);
      return {
        what: limit === null ? 'rate limit reached' : `rate limit: ${limit} per minute`,
        fix: 'slow down, and wait the Retry-After seconds before the next call',
      };
    }
    case 'replay':
      return {
        what: 'the same signed request arrived again',
        fix: 'it did not run twice (a retry gets the first answer); sign each new call with a new timestamp',
      };
  }
}

/** One line: "what: fix". */
export function refusalText(refusal: RecordedRefusal): string {
  const { what, fix } = explainRefusal(refusal);
  return `${what}: ${fix}`;
}
