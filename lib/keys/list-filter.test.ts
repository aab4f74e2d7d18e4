import { describe, expect, it } from 'vitest';
import { filterKeys, isFiltering, offersSearch, parseKeyListFilter } from './list-filter';

const now = new Date('2026-06-01T12:00:00Z');
const key = (
  name: string,
  publicKey: string,
  extra: Partial<{ status: 'active' | 'inactive'; expiresAt: Date; revokedAt: Date }> = {},
) => ({
  name,
  publicKey,
  status: 'active' as const,
  expiresAt: null,
  suspendedAt: null,
  revokedAt: null,
  ...extra,
});
const keys = [
  key('Trading bot', 'kd_AbCdEf'),
  key('Treasury', 'kd_zzTOP', { status: 'inactive' }),
  key('Old bot', 'kd_old', { expiresAt: new Date('2026-05-01T00:00:00Z') }),
  key('Revoked bot', 'kd_rev', { revokedAt: new Date('2026-05-02T00:00:00Z') }),
];
const names = (filter: Parameters<typeof filterKeys>[1]) => filterKeys(keys, filter, now).map((k) => k.name);

describe('the owner key list filter', () => {
  it('matches the name or the API key anywhere, in any case', () => {
    expect(names({ q: 'BOT', status: null })).toEqual(['Trading bot', 'Old bot', 'Revoked bot']);
    expect(names({ q: 'cdef', status: null })).toEqual(['Trading bot']);
    expect(names({ q: '', status: null })).toHaveLength(4);
  });

  it('filters by the state the owner sees: an expired or revoked key is not active', () => {
    expect(names({ q: '', status: 'active' })).toEqual(['Trading bot']);
    expect(names({ q: '', status: 'expired' })).toEqual(['Old bot']);
    expect(names({ q: 'bot', status: 'revoked' })).toEqual(['Revoked bot']);
    expect(names({ q: 'treasury', status: 'active' })).toEqual([]);
  });

  it('reads the query string: trims the search, takes the first of repeated values', () => {
    expect(parseKeyListFilter({ q: '  bot ', status: 'inactive' })).toEqual({ filter: { q: 'bot', status: 'inactive' }, errors: {} });
    expect(parseKeyListFilter({ q: ['a', 'b'], status: ['', 'active'] }).filter).toEqual({ q: 'a', status: null });
    expect(isFiltering(parseKeyListFilter({}).filter)).toBe(false);
    expect(isFiltering(parseKeyListFilter({ status: 'expired' }).filter)).toBe(true);
  });

  it('names a bad parameter and leaves it out instead of failing', () => {
    const bad = parseKeyListFilter({ q: 'x'.repeat(101), status: 'deleted' });
    expect(bad.filter).toEqual({ q: '', status: null });
    expect(bad.errors.q).toBe('Search for at most 100 characters.');
    expect(bad.errors.status).toBe('Choose one of: Active, Inactive, Expired, Suspended, Revoked.');
  });

  it('offers search above 8 keys, or when the URL already filters', () => {
    const none = parseKeyListFilter({});
    expect(offersSearch(8, none)).toBe(false);
    expect(offersSearch(9, none)).toBe(true);
    expect(offersSearch(2, parseKeyListFilter({ q: 'bot' }))).toBe(true);
    expect(offersSearch(2, parseKeyListFilter({ status: 'deleted' }))).toBe(true);
  });
});
