/**
 * Values by key within a byte budget: reading one makes it the most recently used, and past the
 * budget the least recently used go first. A value larger than the whole budget is not kept.
 */
export class ByteLimitedCache<V> {
  private readonly entries = new Map<string, V>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key); // most recently used last
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    if (this.sizeOf(value) > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old !== undefined) this.bytes -= this.sizeOf(old);
    this.entries.delete(key);
    this.entries.set(key, value);
    this.bytes += this.sizeOf(value);
    for (const [oldest, evicted] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= this.sizeOf(evicted);
    }
  }
}
