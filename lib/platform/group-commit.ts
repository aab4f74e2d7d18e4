/** One item's outcome in a batch: its value, or the error that item alone failed with. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export const settledValue = <T>(value: T): Settled<T> => ({ ok: true, value });
export const settledError = <T>(error: unknown): Settled<T> => ({ ok: false, error });

interface Waiting<In, Out> {
  item: In;
  resolve: (value: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: work for one key that arrives while that key's previous batch is in flight waits,
 * and then runs together with everything else that arrived meanwhile, as one batch. Alone, an item
 * runs at once (a batch of one); under load, many requests share one transaction and one round
 * trip per statement instead of queueing one by one behind the same locks.
 *
 * `flush` answers each item in order; if it throws, every item in the batch fails with that error.
 */
export class GroupCommit<Key, In, Out> {
  private readonly waiting = new Map<Key, Waiting<In, Out>[]>();
  private readonly running = new Set<Key>();

  constructor(
    private readonly flush: (key: Key, items: In[]) => Promise<Settled<Out>[]>,
    private readonly maxBatch = 100,
  ) {}

  run(key: Key, item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push({ item, resolve, reject });
      else this.waiting.set(key, [{ item, resolve, reject }]);
      if (!this.running.has(key)) void this.drain(key);
    });
  }

  private async drain(key: Key): Promise<void> {
    this.running.add(key);
    try {
      for (;;) {
        const queue = this.waiting.get(key);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, this.maxBatch);
        if (queue.length === 0) this.waiting.delete(key);
        await this.settle(key, batch);
      }
    } finally {
      this.running.delete(key);
    }
  }

  private async settle(key: Key, batch: Waiting<In, Out>[]): Promise<void> {
    let outcomes: Settled<Out>[];
    try {
      outcomes = await this.flush(
        key,
        batch.map((w) => w.item),
      );
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => {
      const outcome = outcomes[i];
      if (!outcome) w.reject(new Error('GroupCommit: the batch gave no outcome for an item'));
      else if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.error);
    });
  }
}
