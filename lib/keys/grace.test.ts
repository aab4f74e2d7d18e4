import { describe, expect, it } from 'vitest';
import { graceEnd, previousSecretInForce, rotationSchema } from './grace';

describe('the grace of a rotated-away secret', () => {
  const now = new Date('2026-12-03T12:00:00Z');

  it('ends the chosen time after the rotation, or at once for none', () => {
    expect(graceEnd(3_600, now)).toEqual(new Date('2026-12-03T13:00:00Z'));
    expect(graceEnd(604_800, now)).toEqual(new Date('2026-12-10T12:00:00Z'));
    expect(graceEnd(0, now)).toBeNull();
  });

  it('keeps the old secret in force strictly before its end', () => {
    const end = new Date('2026-12-03T13:00:00Z');
    expect(previousSecretInForce(end, new Date(end.getTime() - 1))).toBe(true);
    expect(previousSecretInForce(end, end)).toBe(false);
    expect(previousSecretInForce(null, now)).toBe(false);
  });

  it('accepts only the four offered choices', () => {
    for (const grace of ['none', '1h', '24h', '7d']) expect(rotationSchema.safeParse({ grace }).success).toBe(true);
    for (const grace of ['1d', '', 3600, null, undefined]) expect(rotationSchema.safeParse({ grace }).success).toBe(false);
  });
});
