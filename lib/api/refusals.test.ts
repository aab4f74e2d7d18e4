import { describe, expect, it } from 'vitest';
import { explainRefusal, REFUSAL_LABELS, REFUSAL_REASONS, refusalText, type RecordedRefusal } from './refusals';

const rest = (reason: string, detail: RecordedRefusal['detail'] = {}, extra: Partial<RecordedRefusal> = {}): RecordedRefusal => ({
  reason,
  transport: 'rest',
  action: 'get_my_wallet_balance',
  address: '203.0.113.9',
  detail,
  ...extra,
});

describe('explainRefusal: one case per refusal reason, in plain words with the fix', () => {
  it('signature, as REST signs it', () => {
    expect(refusalText(rest('signature'))).toBe(
      'signature does not match: check that you sign action + timestamp + the exact body, with the secret as its UTF-8 text',
    );
  });

  it('signature, as the WebSocket auth signs it', () => {
    expect(refusalText(rest('signature', {}, { transport: 'ws', action: 'auth' }))).toBe(
      'signature does not match: check that you sign timestamp + API key (HMAC-SHA256, hex), with the secret as its UTF-8 text',
    );
  });

  it('credentials missing', () => {
    expect(explainRefusal(rest('credentials_missing')).what).toBe('the X-AGGR-SIGNATURE or X-AGGR-TIMESTAMP header is missing');
    expect(explainRefusal(rest('credentials_missing', {}, { transport: 'ws' })).what).toBe(
      'the auth message has no signature or timestamp',
    );
  });

  it('timestamp behind, ahead, and not a number', () => {
    expect(explainRefusal(rest('timestamp', { offsetSeconds: 41, windowSeconds: 30 })).what).toBe(
      'timestamp 41 s behind the server (window ±30 s)',
    );
    expect(explainRefusal(rest('timestamp', { offsetSeconds: -95, windowSeconds: 20 }, { transport: 'ws' })).what).toBe(
      'timestamp 95 s ahead of the server (window ±20 s)',
    );
    const notANumber = explainRefusal(rest('timestamp', { offsetSeconds: null, windowSeconds: 30 }));
    expect(notANumber.what).toBe('timestamp is not a number of unix seconds (window ±30 s)');
    expect(notANumber.fix).toContain('NTP');
  });

  it('not activated', () => {
    expect(refusalText(rest('not_activated'))).toBe(
      'the key has not been activated yet: activate it from this page with the code sent by email',
    );
  });

  it('deactivated', () => {
    expect(explainRefusal(rest('deactivated')).what).toBe('the key is deactivated');
  });

  it('expired', () => {
    expect(refusalText(rest('expired'))).toBe('the key has expired: edit its expiry date, or create a new key');
  });

  it('suspended', () => {
    expect(explainRefusal(rest('suspended')).what).toBe('the key is suspended by an administrator');
  });

  it('revoked', () => {
    expect(explainRefusal(rest('revoked')).fix).toBe('create a new key');
  });

  it('address, known and unknown', () => {
    expect(explainRefusal(rest('address')).what).toBe("address 203.0.113.9 is not on this key's whitelist");
    expect(explainRefusal(rest('address', {}, { address: null })).what).toBe(
      "the caller's address is unknown and this key has a whitelist",
    );
  });

  it('permission, by its label', () => {
    expect(explainRefusal(rest('permission', { permission: 'funds_wallet' }, { action: 'do_deposit_funds_from_wallet' })).what).toBe(
      'the key lacks the Funds Wallet permission for do_deposit_funds_from_wallet',
    );
  });

  it('rate limit', () => {
    expect(explainRefusal(rest('rate_limit', { limitPerMinute: 300 })).what).toBe('rate limit: 300 per minute');
  });

  it('replay', () => {
    expect(refusalText(rest('replay'))).toBe(
      'the same signed request arrived again: it did not run twice (a retry gets the first answer); sign each new call with a new timestamp',
    );
  });

  it('covers every reason, each with a label, and never echoes a detail it does not know', () => {
    for (const reason of REFUSAL_REASONS) {
      const { what, fix } = explainRefusal(rest(reason, { secret: 'shh', signature: 'sig' }));
      expect(what.length).toBeGreaterThan(5);
      expect(fix.length).toBeGreaterThan(5);
      expect(`${what} ${fix}`).not.toMatch(/shh|sig\b/);
      expect(REFUSAL_LABELS[reason]).toBeTruthy();
    }
    expect(explainRefusal(rest('something_new')).what).toBe('refused (something_new)');
  });
});
