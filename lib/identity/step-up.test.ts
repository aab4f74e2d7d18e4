import { describe, expect, it } from 'vitest';
import { isSecondFactorFresh, safeAdminPath, STEP_UP_FRESH_MS } from './step-up';

describe('isSecondFactorFresh', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it('counts for exactly 10 minutes after the code', () => {
    expect(STEP_UP_FRESH_MS).toBe(10 * 60_000);
    expect(isSecondFactorFresh(now.getTime(), now)).toBe(true);
    expect(isSecondFactorFresh(now.getTime() - STEP_UP_FRESH_MS, now)).toBe(true);
    expect(isSecondFactorFresh(now.getTime() - STEP_UP_FRESH_MS - 1, now)).toBe(false);
  });
  it('a session that never passed one, or a stamp far in the future, is not fresh', () => {
    expect(isSecondFactorFresh(undefined, now)).toBe(false);
    expect(isSecondFactorFresh(now.getTime() + 30_000, now)).toBe(true); // another process's clock
    expect(isSecondFactorFresh(now.getTime() + 5 * 60_000, now)).toBe(false);
  });
});

describe('safeAdminPath', () => {
  it('keeps admin pages and turns anything else into /admin', () => {
    for (const ok of ['/admin', '/admin/keys/1/suspend', '/admin?q=x', '/admin/audit?key=a&action=b']) expect(safeAdminPath(ok)).toBe(ok);
    for (const bad of [
      undefined,
      '',
      'admin',
      '/administrator',
      '/settings',
      '//evil.example/admin',
      'https://evil.example/admin',
      '/admin/../settings',
      '/admin/%2E%2E/x',
      '/\\evil',
    ]) {
      expect(safeAdminPath(bad)).toBe('/admin');
    }
  });
});
