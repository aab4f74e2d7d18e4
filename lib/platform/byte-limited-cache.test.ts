import { describe, expect, it } from 'vitest';
import { ByteLimitedCache } from './byte-limited-cache';

const cache = (maxBytes: number) => new ByteLimitedCache<string>(maxBytes, (value) => value.length);

describe('ByteLimitedCache', () => {
  it('keeps values within its budget, the least recently used going first', () => {
    const kept = cache(10);
    kept.set('a', 'aaaa');
    kept.set('b', 'bbbb');
    expect(kept.get('a')).toBe('aaaa'); // now b is the least recently used
    kept.set('c', 'cccc');
    expect([kept.get('a'), kept.get('b'), kept.get('c')]).toEqual(['aaaa', undefined, 'cccc']);
  });

  it('counts a replaced value once, and keeps nothing larger than the whole budget', () => {
    const kept = cache(10);
    kept.set('a', 'aaaa');
    kept.set('a', 'AAAAAA');
    kept.set('b', 'bbbb');
    expect([kept.get('a'), kept.get('b')]).toEqual(['AAAAAA', 'bbbb']);
    kept.set('huge', 'x'.repeat(11));
    expect([kept.get('huge'), kept.get('a'), kept.get('b')]).toEqual([undefined, 'AAAAAA', 'bbbb']);
  });
});
