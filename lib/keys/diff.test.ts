import { describe, expect, it } from 'vitest';
import { diffKey, entryCovered, type KeySettings } from './diff';
import { parseExpiryDate } from './expiry';
import { activationRefusal, expiresSoonInDays, keyState, keyStateLabel } from './state';

const base: KeySettings = {
  name: 'Bot',
  permissions: ['read', 'trade'],
  ipWhitelist: ['198.51.100.0/24', '203.0.113.7'],
  expiresAt: new Date('2030-01-01T00:00:00Z'),
};
const edit = (patch: Partial<KeySettings>) => diffKey(base, { ...base, ...patch });

describe('diffKey: narrowing applies at once', () => {
  it('no change is no change', () => {
    expect(edit({})).toEqual({ changed: false, widens: [], summary: [] });
  });
  it('renaming, removing a permission or an address, an earlier expiry only narrow', () => {
    expect(edit({ name: 'Bot 2' }).widens).toEqual([]);
    expect(edit({ permissions: ['read'] }).widens).toEqual([]);
    expect(edit({ ipWhitelist: ['203.0.113.7'] }).widens).toEqual([]);
    expect(edit({ expiresAt: new Date('2029-06-01T00:00:00Z') }).widens).toEqual([]);
    expect(edit({ name: 'Bot 2', permissions: ['read'] }).summary).toEqual(['Name: Bot → Bot 2', 'Permissions removed: Trade']);
  });
  it('an address inside a range already listed does not widen', () => {
    expect(edit({ ipWhitelist: [...base.ipWhitelist, '198.51.100.9'] }).widens).toEqual([]);
    expect(edit({ ipWhitelist: ['198.51.100.128/25'] }).widens).toEqual([]);
  });
  it('a whitelist where there was none (any address) narrows', () => {
    expect(diffKey({ ...base, ipWhitelist: [] }, base).widens).toEqual([]);
  });
  it('an expiry where there was none narrows', () => {
    expect(diffKey({ ...base, expiresAt: null }, base).widens).toEqual([]);
  });
});

describe('diffKey: widening needs re-activation', () => {
  it('a permission added', () => {
    expect(edit({ permissions: ['read', 'trade', 'funds_external'] }).widens).toEqual(['Funds External added']);
  });
  it('an address outside the old list, or a range larger than the old one', () => {
    expect(edit({ ipWhitelist: [...base.ipWhitelist, '192.0.2.1'] }).widens).toEqual(['addresses added: 192.0.2.1']);
    expect(edit({ ipWhitelist: ['198.51.0.0/16'] }).widens).toEqual(['addresses added: 198.51.0.0/16']);
    expect(edit({ ipWhitelist: ['2001:db8::1'] }).widens).toHaveLength(1);
  });
  it('the whitelist emptied', () => {
    expect(edit({ ipWhitelist: [] }).widens).toEqual(['IP whitelist emptied: any address may use the key']);
  });
  it('the expiry removed or extended', () => {
    expect(edit({ expiresAt: null }).widens).toEqual(['expiry date removed']);
    expect(edit({ expiresAt: new Date('2031-01-01T00:00:00Z') }).widens).toEqual(['expiry date extended']);
  });
});

describe('helpers', () => {
  it('entryCovered compares canonical IPv4 and IPv6 blocks', () => {
    expect(entryCovered(['10.0.0.0/8'], '10.1.2.0/24')).toBe(true);
    expect(entryCovered(['10.1.2.0/24'], '10.0.0.0/8')).toBe(false);
    expect(entryCovered(['2001:db8::/32'], '2001:db8:1::/48')).toBe(true);
    expect(entryCovered(['2001:db8::/32'], '10.0.0.1')).toBe(false);
  });
  it('parseExpiryDate takes real dates only', () => {
    expect(parseExpiryDate('2030-02-28')?.toISOString()).toBe('2030-02-28T00:00:00.000Z');
    expect(parseExpiryDate('2030-02-30')).toBeNull();
    expect(parseExpiryDate('tomorrow')).toBeNull();
  });
  it('key state: revoked over suspended over expired over status', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const key = {
      status: 'active' as const,
      expiresAt: null,
      suspendedAt: null,
      suspensionReason: null,
      revokedAt: null,
      revocationReason: null,
    };
    expect(keyState(key, now)).toBe('active');
    expect(keyState({ ...key, expiresAt: now }, now)).toBe('expired');
    expect(keyStateLabel({ ...key, suspendedAt: now, suspensionReason: 'abuse' }, now)).toBe('Suspended by an administrator: abuse');
    expect(
      activationRefusal({ ...key, suspendedAt: now, suspensionReason: 'abuse', revokedAt: now, revocationReason: 'leaked' }, now),
    ).toBe('Revoked by an administrator: leaked');
    expect(expiresSoonInDays({ expiresAt: new Date(now.getTime() + 2.5 * 86_400_000) }, now)).toBe(3);
    expect(expiresSoonInDays({ expiresAt: new Date(now.getTime() + 8 * 86_400_000) }, now)).toBeNull();
  });
});
