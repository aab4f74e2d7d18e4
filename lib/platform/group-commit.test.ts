import { describe, expect, it } from 'vitest';
import { GroupCommit, settledError, settledValue } from './group-commit';

/** A flush that records each batch and waits until released, as a transaction in flight does. */
function recordingFlush() {
  const batches: Array<{ key: string; items: number[] }> = [];
  const gates: Array<() => void> = [];
  const flush = async (key: string, items: number[]) => {
    batches.push({ key, items });
    await new Promise<void>((release) => gates.push(release));
    return items.map((n) => (n < 0 ? settledError<number>(new Error(`bad ${n}`)) : settledValue(n * 10)));
  };
  const releaseNext = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()!();
  };
  return { batches, flush, releaseNext };
}

describe('GroupCommit', () => {
  it('runs a lone item at once, as a batch of one', async () => {
    const { batches, flush, releaseNext } = recordingFlush();
    const group = new GroupCommit(flush);
    const answer = group.run('a', 1);
    expect(batches).toEqual([{ key: 'a', items: [1] }]);
    await releaseNext();
    expect(await answer).toBe(10);
  });

  it('gathers what arrives while a batch is in flight into the next batch, in arrival order', async () => {
    const { batches, flush, releaseNext } = recordingFlush();
    const group = new GroupCommit(flush);
    const answers = [1, 2, 3, 4].map((n) => group.run('a', n));
    expect(batches).toEqual([{ key: 'a', items: [1] }]);
    await releaseNext();
    await releaseNext();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([
      { key: 'a', items: [1] },
      { key: 'a', items: [2, 3, 4] },
    ]);
  });

  it('keys do not wait for each other', async () => {
    const { batches, flush, releaseNext } = recordingFlush();
    const group = new GroupCommit(flush);
    void group.run('a', 1);
    const b = group.run('b', 2);
    expect(batches.map((x) => x.key)).toEqual(['a', 'b']);
    await releaseNext();
    await releaseNext();
    expect(await b).toBe(20);
  });

  it('fails only the item whose outcome is an error; a thrown flush fails its whole batch, and the next batch still runs', async () => {
    const { flush, releaseNext } = recordingFlush();
    let calls = 0;
    const group = new GroupCommit<string, number, number>(async (key, items) => {
      if (++calls === 2) throw new Error('database gone');
      return flush(key, items);
    });
    const first = group.run('a', -1);
    const second = [group.run('a', 2), group.run('a', 3)];
    const third = group.run('a', 4);
    await releaseNext();
    await expect(first).rejects.toThrow('bad -1');
    for (const p of second) await expect(p).rejects.toThrow('database gone');
    // `third` joined the batch that threw; a later item gets a batch of its own.
    await expect(third).rejects.toThrow('database gone');
    const later = group.run('a', 5);
    await releaseNext();
    expect(await later).toBe(50);
  });

  it('caps a batch at maxBatch items', async () => {
    const { batches, flush, releaseNext } = recordingFlush();
    const group = new GroupCommit(flush, 2);
    const answers = [1, 2, 3, 4, 5].map((n) => group.run('a', n));
    for (let i = 0; i < 3; i++) await releaseNext();
    await Promise.all(answers);
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3], [4, 5]]);
  });
});
