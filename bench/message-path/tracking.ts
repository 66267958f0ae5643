/**
 * Side tables for latency: message ids are consecutive integers, so the send time and step of
 * each message sit in typed arrays indexed by id (no per-message objects, nothing in the body).
 */
export class SendLog {
  private sentAt = new Float64Array(1 << 16);
  private stepOf = new Uint8Array(1 << 16);
  /** Messages sent so far; also the next id. */
  count = 0;

  /** Records a send at `now` (performance.now()) in `step`; returns the message id. */
  next(now: number, step: number): number {
    if (this.count === this.sentAt.length) {
      this.sentAt = grow(this.sentAt, new Float64Array(this.sentAt.length * 2));
      this.stepOf = grow(this.stepOf, new Uint8Array(this.stepOf.length * 2));
    }
    this.sentAt[this.count] = now;
    this.stepOf[this.count] = step;
    return this.count++;
  }

  sentAtOf(id: number): number {
    return this.sentAt[id]!;
  }

  stepOfId(id: number): number {
    return this.stepOf[id]!;
  }
}

/** Arrivals of one kind (deliveries to agents, or acks to end users): first arrival per id counts. */
export class Receipts {
  private seen = new Uint8Array(1 << 16);
  /** Latencies in ms, by the step the message was sent in. */
  readonly latencies: number[][];
  /** Arrivals by the step the message was sent in. */
  readonly counts: number[];
  total = 0;
  duplicates = 0;
  unknown = 0;

  constructor(
    private readonly log: SendLog,
    steps: number,
  ) {
    this.latencies = Array.from({ length: steps }, () => []);
    this.counts = new Array<number>(steps).fill(0);
  }

  record(id: number, now: number): void {
    if (id < 0 || id >= this.log.count) {
      this.unknown++;
      return;
    }
    while (id >= this.seen.length)
      this.seen = grow(this.seen, new Uint8Array(this.seen.length * 2));
    if (this.seen[id] === 1) {
      this.duplicates++;
      return;
    }
    this.seen[id] = 1;
    this.total++;
    const step = this.log.stepOfId(id);
    this.latencies[step]!.push(now - this.log.sentAtOf(id));
    this.counts[step]!++;
  }
}

function grow<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
