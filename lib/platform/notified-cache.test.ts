import { describe, expect, it } from 'vitest';
import { NotifiedCache } from './notified-cache';

/** A load the test finishes by hand, to interleave it with notifications. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function cache(now = () => 0, maxEntries = 100) {
  return new NotifiedCache<string>({ name: 'test', maxAgeMs: (v) => (v === 'short-lived' ? 10 : 1000), maxEntries, now });
}

describe('NotifiedCache', () => {
  it('loads once, then serves from memory until the key is forgotten', async () => {
    const c = cache();
    let loads = 0;
    const load = async () => `value ${++loads}`;
    expect(await c.get('a', load)).toBe('value 1');
    expect(await c.get('a', load)).toBe('value 1');
    c.forget('a');
    expect(await c.get('a', load)).toBe('value 2');
  });

  it('answers but does not keep a load that a change overlapped (it may have read the old row)', async () => {
    const c = cache();
    const slow = deferred<string>();
    const pending = c.get('a', () => slow.promise);
    c.forget('a'); // the change commits and its NOTIFY arrives while the read is in flight
    slow.resolve('read before the change');
    expect(await pending).toBe('read before the change');
    expect(c.peek('a')).toBeUndefined();
    expect(await c.get('a', async () => 'after the change')).toBe('after the change');
  });

  it('a change to another key does not spoil a load', async () => {
    const c = cache();
    const slow = deferred<string>();
    const pending = c.get('a', () => slow.promise);
    c.forget('b');
    slow.resolve('a1');
    await pending;
    expect(c.peek('a')).toBe('a1');
  });

  it('abandonLoads and clear keep every load in flight from being stored', async () => {
    for (const drop of ['abandonLoads', 'clear'] as const) {
      const c = cache();
      await c.get('kept', async () => 'k');
      const slow = deferred<string>();
      const pending = c.get('a', () => slow.promise);
      c[drop]();
      slow.resolve('stale');
      await pending;
      expect(c.peek('a')).toBeUndefined();
      expect(c.peek('kept')).toBe(drop === 'clear' ? undefined : 'k');
    }
  });

  it('of two concurrent loads of one key only the later is kept', async () => {
    const c = cache();
    const first = deferred<string>();
    const second = deferred<string>();
    const a = c.get('a', () => first.promise);
    const b = c.get('a', () => second.promise);
    second.resolve('second');
    first.resolve('first');
    expect([await a, await b]).toEqual(['first', 'second']);
    expect(c.peek('a')).toBe('second');
  });

  it('a failed load is not kept and does not block the next one', async () => {
    const c = cache();
    await expect(c.get('a', async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await c.get('a', async () => 'ok')).toBe('ok');
    expect(c.peek('a')).toBe('ok');
  });

  it('a value older than its maximum age is loaded again (the net under a lost notification)', async () => {
    let now = 0;
    const c = cache(() => now);
    await c.get('a', async () => 'short-lived');
    await c.get('b', async () => 'long-lived');
    now = 9;
    expect(c.peek('a')).toBe('short-lived');
    now = 10;
    expect(c.peek('a')).toBeUndefined();
    expect(c.peek('b')).toBe('long-lived');
  });

  it('starts over past its maximum size', async () => {
    const c = cache(() => 0, 3);
    for (const key of ['a', 'b', 'c', 'd']) await c.get(key, async () => key);
    expect(c.size).toBe(1);
    expect(c.peek('d')).toBe('d');
  });
});
