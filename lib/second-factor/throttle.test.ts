import { describe, expect, it } from 'vitest';
import { formatUtcTime } from './throttle';

describe('formatUtcTime', () => {
  const now = new Date('2026-12-03T23:14:05Z');

  it('says the clock time alone on the same UTC day', () => {
    expect(formatUtcTime(new Date('2026-12-03T23:59:00Z'), now)).toBe('23:59 UTC');
  });

  it('adds the date when the time falls on another UTC day, so an hour past midnight is not read as earlier today', () => {
    expect(formatUtcTime(new Date('2026-12-04T00:14:00Z'), now)).toBe('2026-12-04 00:14 UTC');
  });
});
