/**
 * A list kept in order under insertions and deletions: short sorted chunks, so that adding or
 * removing one item moves at most a chunk's worth of references (O(log n + chunk)), and walking
 * from the front stops wherever the caller has seen enough. The order must be total: items that
 * compare equal are the same item.
 */
const CHUNK = 256;

export interface ReadonlySortedList<T> extends Iterable<T> {
  readonly size: number;
  /** Visits items in order until `visit` returns false. */
  scan(visit: (item: T) => boolean): void;
}

export class SortedList<T> implements ReadonlySortedList<T> {
  private readonly chunks: T[][] = [];
  private count = 0;

  constructor(
    private readonly order: (a: T, b: T) => number,
    items: Iterable<T> = [],
  ) {
    const sorted = [...items].sort(order);
    for (let i = 0; i < sorted.length; i += CHUNK) this.chunks.push(sorted.slice(i, i + CHUNK));
    this.count = sorted.length;
  }

  get size(): number {
    return this.count;
  }

  add(item: T): void {
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      this.count = 1;
      return;
    }
    const c = Math.min(this.chunkFor(item), this.chunks.length - 1);
    const chunk = this.chunks[c]!;
    chunk.splice(this.lowerBound(chunk, item), 0, item);
    this.count += 1;
    if (chunk.length > 2 * CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(CHUNK));
  }

  /** Removes the item that compares equal to `item`; false when there is none. */
  delete(item: T): boolean {
    const c = this.chunkFor(item);
    const chunk = this.chunks[c];
    if (chunk === undefined) return false;
    const at = this.lowerBound(chunk, item);
    if (at === chunk.length || this.order(chunk[at]!, item) !== 0) return false;
    chunk.splice(at, 1);
    this.count -= 1;
    if (chunk.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  /** Puts `next` in the place of the item that compares equal to it; false when there is none. */
  replace(item: T, next: T): boolean {
    const chunk = this.chunks[this.chunkFor(item)];
    if (chunk === undefined) return false;
    const at = this.lowerBound(chunk, item);
    if (at === chunk.length || this.order(chunk[at]!, next) !== 0) return false;
    chunk[at] = next;
    return true;
  }

  scan(visit: (item: T) => boolean): void {
    for (const chunk of this.chunks) {
      for (const item of chunk) if (!visit(item)) return;
    }
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /** The first chunk whose last item is not before `item` (chunks.length when none is). */
  private chunkFor(item: T): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      if (this.order(chunk[chunk.length - 1]!, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lowerBound(chunk: readonly T[], item: T): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order(chunk[mid]!, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
