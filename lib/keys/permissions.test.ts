import { describe, expect, it } from 'vitest';
import { PERMISSIONS, PERMISSION_LABELS, type Permission, isPermission, normalizePermissions, widensAccess } from './permissions';

describe('PERMISSIONS and labels', () => {
  it('lists the five levels in display order with their labels', () => {
    expect(PERMISSIONS.map((p) => PERMISSION_LABELS[p])).toEqual(['Read', 'Trade', 'Funds Internal', 'Funds Wallet', 'Funds External']);
  });
});

describe('isPermission', () => {
  it.each([
    ['read', true],
    ['funds_external', true],
    ['Read', false],
    ['READ', false],
    [' trade', false],
    ['funds-wallet', false],
    ['admin', false],
    ['', false],
    ['toString', false],
    ['__proto__', false],
  ])('%j -> %s', (value, expected) => {
    expect(isPermission(value)).toBe(expected);
  });
});

describe('normalizePermissions', () => {
  it.each<[string[], Permission[]]>([
    [[], ['read']],
    [['read'], ['read']],
    [['trade'], ['read', 'trade']],
    [
      ['funds_external', 'trade', 'read'],
      ['read', 'trade', 'funds_external'],
    ],
    [
      ['trade', 'trade', 'read', 'read'],
      ['read', 'trade'],
    ],
    [[...PERMISSIONS].reverse(), [...PERMISSIONS]],
  ])('%j -> %j', (input, expected) => {
    expect(normalizePermissions(input)).toEqual({ ok: true, permissions: expected });
  });

  it.each([
    [['trade', 'withdraw'], "Unknown permission 'withdraw'"],
    [['Trade'], "Unknown permission 'Trade'"],
    [[''], "Unknown permission ''"],
    [['x'.repeat(100)], `Unknown permission '${'x'.repeat(37)}…'`],
  ])('refuses %j', (input, error) => {
    expect(normalizePermissions(input)).toEqual({ ok: false, error });
  });
});

describe('widensAccess', () => {
  it.each<[Permission[], Permission[], boolean]>([
    [['read'], ['read'], false],
    [['read', 'trade'], ['read'], false],
    [['read', 'trade', 'funds_wallet'], ['read', 'funds_wallet'], false],
    [['read', 'trade'], ['trade', 'read'], false],
    [['read'], ['read', 'trade'], true],
    [['read', 'trade'], ['read', 'funds_external'], true],
    [['read', 'funds_internal'], ['read', 'trade', 'funds_internal'], true],
  ])('%j -> %j widens: %s', (before, after, expected) => {
    expect(widensAccess(before, after)).toBe(expected);
  });
});
