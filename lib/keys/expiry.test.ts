import { describe, expect, it } from 'vitest';
import { expiryText, resolveExpiry } from './expiry';

const NOW = new Date('2026-12-03T18:45:00Z');
const at = (iso: string) => new Date(iso);

describe('resolveExpiry: each choice, at the moment of the request, in UTC', () => {
  it('No expiry', () => {
    expect(resolveExpiry({ choice: 'none', date: '2030-01-01' }, NOW)).toEqual({ ok: true, expiresAt: null });
  });

  it.each([
    ['30', '2027-01-02T00:00:00.000Z'],
    ['90', '2027-03-03T00:00:00.000Z'],
    ['365', '2027-12-03T00:00:00.000Z'],
  ])('%s days: 00:00 UTC that many days after today (UTC)', (choice, iso) => {
    expect(resolveExpiry({ choice, date: '' }, NOW)).toEqual({ ok: true, expiresAt: at(iso) });
  });

  it('counts days from the UTC date, not the local one, just before midnight UTC', () => {
    expect(resolveExpiry({ choice: '90', date: '' }, at('2026-12-03T23:59:59Z'))).toEqual({
      ok: true,
      expiresAt: at('2027-03-03T00:00:00Z'),
    });
  });

  it('On a date…: 00:00 UTC that day', () => {
    expect(resolveExpiry({ choice: 'date', date: ' 2027-06-30 ' }, NOW)).toEqual({ ok: true, expiresAt: at('2027-06-30T00:00:00Z') });
  });

  it('refuses a date in the past, today (already 00:00 gone) and an empty date', () => {
    expect(resolveExpiry({ choice: 'date', date: '2026-12-02' }, NOW)).toEqual({ ok: false, error: 'Choose a date in the future' });
    expect(resolveExpiry({ choice: 'date', date: '2026-12-03' }, NOW)).toEqual({ ok: false, error: 'Choose a date in the future' });
    expect(resolveExpiry({ choice: 'date', date: '' }, NOW)).toEqual({ ok: false, error: 'Enter the date the key expires' });
  });

  it('refuses a date more than 5 years ahead', () => {
    expect(resolveExpiry({ choice: 'date', date: '2031-12-03' }, NOW)).toMatchObject({ ok: true });
    expect(resolveExpiry({ choice: 'date', date: '2031-12-04' }, NOW)).toEqual({
      ok: false,
      error: 'Choose a date at most 5 years ahead (by 2031-12-03)',
    });
  });

  it.each(['2030-02-30', 'tomorrow', '03/03/2027', '2027-3-3', '99999-01-01'])('refuses the garbage date %j', (date) => {
    expect(resolveExpiry({ choice: 'date', date }, NOW)).toEqual({ ok: false, error: 'Enter a valid date (YYYY-MM-DD)' });
  });

  it.each(['', '7', '90 days', 'forever', '-1', '1e9'])('refuses the garbage choice %j', (choice) => {
    expect(resolveExpiry({ choice, date: '2027-01-01' }, NOW)).toEqual({ ok: false, error: 'Choose when the key expires' });
  });

  it('an edit may keep the key’s current date once passed, not pick another past one', () => {
    const keep = at('2026-11-01T00:00:00Z');
    expect(resolveExpiry({ choice: 'date', date: '2026-11-01' }, NOW, { keep })).toEqual({ ok: true, expiresAt: keep });
    expect(resolveExpiry({ choice: 'date', date: '2026-11-02' }, NOW, { keep })).toMatchObject({ ok: false });
  });
});

describe('expiryText: as the form, the secret step and the key page say it', () => {
  it('reads like every other time in the app', () => {
    expect(expiryText(at('2027-03-03T00:00:00Z'), NOW)).toBe('Expires 2027-03-03 00:00 UTC');
    expect(expiryText(at('2026-11-01T00:00:00Z'), NOW)).toBe('Expired 2026-11-01 00:00 UTC');
    expect(expiryText(null, NOW)).toBe('No expiry');
  });
});
