import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TOTP_PERIOD_SECONDS, newTotpSecret, timeStep, totpUri, verifyTotp } from './totp';

const DEMO_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
// RFC 6238 appendix B uses the ASCII seed "12345678901234567890" for SHA-1; this is its base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of input.replace(/=+$/, '')) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((b) => parseInt(b, 2)));
}

/** Independent RFC 4226/6238 implementation on node:crypto, to check otplib against. */
function referenceTotp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

const at = (unixSeconds: number) => new Date(unixSeconds * 1000);

describe('RFC 6238 SHA-1 test vectors (last six digits)', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('T=%i -> %s', async (seconds, token) => {
    expect(referenceTotp(RFC_SECRET, timeStep(at(seconds)))).toBe(token);
    await expect(verifyTotp(RFC_SECRET, token, { now: at(seconds), lastUsedStep: null })).resolves.toEqual({
      ok: true,
      step: Math.floor(seconds / 30),
    });
  });
});

describe('timeStep', () => {
  it.each([
    [0, 0],
    [29, 0],
    [30, 1],
    [59, 1],
    [1_700_000_000, 56_666_666],
  ])('%is -> step %i', (seconds, step) => {
    expect(timeStep(at(seconds))).toBe(step);
  });

  it('ignores milliseconds', () => {
    expect(timeStep(new Date(29_999))).toBe(0);
    expect(timeStep(new Date(30_000))).toBe(1);
  });
});

describe('verifyTotp window', () => {
  const now = at(1_700_000_015);
  const current = timeStep(now);

  it.each([
    [-1, true],
    [0, true],
    [1, true],
    [-2, false],
    [2, false],
  ])('a code from step offset %i accepted: %s', async (offset, accepted) => {
    const token = referenceTotp(DEMO_SECRET, current + offset);
    const result = await verifyTotp(DEMO_SECRET, token, { now, lastUsedStep: null });
    expect(result).toEqual(accepted ? { ok: true, step: current + offset } : { ok: false, reason: 'invalid' });
  });

  it('refuses a code for another secret', async () => {
    const token = referenceTotp(RFC_SECRET, current);
    if (token === referenceTotp(DEMO_SECRET, current)) return;
    expect(await verifyTotp(DEMO_SECRET, token, { now, lastUsedStep: null })).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('verifyTotp replay protection', () => {
  const now = at(1_700_000_015);
  const current = timeStep(now);
  const token = referenceTotp(DEMO_SECRET, current);

  it('refuses the same code once its step is recorded', async () => {
    const first = await verifyTotp(DEMO_SECRET, token, { now, lastUsedStep: null });
    expect(first).toEqual({ ok: true, step: current });
    if (!first.ok) return;
    const again = await verifyTotp(DEMO_SECRET, token, { now: at(1_700_000_020), lastUsedStep: first.step });
    expect(again).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses an older code still inside the window after a newer one was used', async () => {
    const previous = referenceTotp(DEMO_SECRET, current - 1);
    expect(await verifyTotp(DEMO_SECRET, previous, { now, lastUsedStep: current })).toEqual({
      ok: false,
      reason: 'replayed',
    });
  });

  it('accepts the next step after the last used one', async () => {
    const next = referenceTotp(DEMO_SECRET, current + 1);
    expect(await verifyTotp(DEMO_SECRET, next, { now, lastUsedStep: current })).toEqual({ ok: true, step: current + 1 });
  });

  it('reports a wrong code as invalid, not replayed', async () => {
    const wrong = token === '000000' ? '000001' : '000000';
    expect(await verifyTotp(DEMO_SECRET, wrong, { now, lastUsedStep: current })).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('verifyTotp malformed tokens', () => {
  const now = at(1_700_000_015);
  const token = referenceTotp(DEMO_SECRET, timeStep(now));

  it.each(['', '12345', '1234567', 'abcdef', '12 345', '１２３４５６', `${token} `, ` ${token}`, `${token}0`, '-12345', '1e5000'])(
    '%j is invalid (and does not throw)',
    async (input) => {
      expect(await verifyTotp(DEMO_SECRET, input, { now, lastUsedStep: null })).toEqual({ ok: false, reason: 'invalid' });
    },
  );
});

describe('secrets and provisioning URI', () => {
  it('creates distinct base32 secrets of at least 20 bytes', () => {
    const a = newTotpSecret();
    const b = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]+=*$/);
    expect(base32Decode(a).length).toBeGreaterThanOrEqual(20);
    expect(a).not.toBe(b);
  });

  it('a new secret round-trips through verification', async () => {
    const secret = newTotpSecret();
    const now = new Date();
    const token = referenceTotp(secret, timeStep(now));
    expect(await verifyTotp(secret, token, { now, lastUsedStep: null })).toEqual({ ok: true, step: timeStep(now) });
  });

  it('builds an otpauth URI with issuer Keydesk and the account label', () => {
    const uri = new URL(totpUri(DEMO_SECRET, 'owner@keydesk.test'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Keydesk:owner@keydesk.test');
    expect(uri.searchParams.get('secret')).toBe(DEMO_SECRET);
    expect(uri.searchParams.get('issuer')).toBe('Keydesk');
    // Defaults every authenticator app assumes; if present they must agree.
    for (const [param, expected] of [
      ['algorithm', 'SHA1'],
      ['digits', '6'],
      ['period', String(TOTP_PERIOD_SECONDS)],
    ]) {
      const value = uri.searchParams.get(param);
      if (value !== null) expect(value).toBe(expected);
    }
  });
});
