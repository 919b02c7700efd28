/**
 * Reads reused for a short time, for records read on every request and rarely changed (a platform on every
 * launch, an institution profile on every credential). A change made through the repository in this process
 * clears its entry at once; one made by another instance shows within `ttlMs`. Absent records are not kept,
 * so a record created elsewhere shows at once and unknown keys (e.g. a forged issuer) cannot fill the map.
 */
export class RecentReads<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  /** Bumped by forget(): a read that started before a change must not store what it read. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  async get(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const hit = this.entries.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const started = this.generation;
    const value = await load();
    if (started !== this.generation) return value; // changed meanwhile: answer, but keep nothing
    if (value === null) this.entries.delete(key);
    else {
      if (this.entries.size >= this.maxEntries) this.entries.clear(); // a bound, not an LRU: a full map is a rare event
      this.entries.set(key, { value, until: Date.now() + this.ttlMs });
    }
    return value;
  }

  forget(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }
}
