import type { FeedSignal } from '../services/feed-publisher.js';

/**
 * One socket's view of one conversation: the last seq it has been given, and signals waiting to
 * be delivered. Signals can arrive late or out of order (several processes publish); the pump
 * delivers strictly in seq order and fills any gap from the database, so a client never misses
 * or repeats an event.
 */
export class Subscription {
  lastSeq: number;
  ready = false;
  private pending: FeedSignal[] = [];
  private pumping = false;

  constructor(
    readonly conversationId: string,
    afterSeq: number,
    private readonly fillGap: (afterSeq: number) => Promise<FeedSignal[]>,
    private readonly deliver: (signal: FeedSignal) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    this.lastSeq = afterSeq;
  }

  push(signal: FeedSignal): void {
    if (signal.entry.seq <= this.lastSeq) return;
    this.pending.push(signal);
    if (this.ready) void this.pump();
  }

  /** Replays everything after the client's seq from the database, then goes live. */
  async start(): Promise<void> {
    for (;;) {
      const missed = await this.fillGap(this.lastSeq);
      for (const s of missed) this.take(s);
      if (missed.length < 500) break;
    }
    this.ready = true;
  }

  async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.pending.length > 0) {
        this.pending.sort((a, b) => a.entry.seq - b.entry.seq);
        const next = this.pending[0]!;
        if (next.entry.seq <= this.lastSeq) {
          this.pending.shift();
          continue;
        }
        if (next.entry.seq === this.lastSeq + 1) {
          this.pending.shift();
          this.take(next);
          continue;
        }
        const missed = await this.fillGap(this.lastSeq);
        for (const s of missed) if (s.entry.seq === this.lastSeq + 1) this.take(s);
        if (
          this.pending[0] &&
          this.pending[0].entry.seq > this.lastSeq + 1 &&
          missed.length === 0
        ) {
          // Committed events are always readable; if the database has nothing, skip ahead rather than stall.
          this.lastSeq = this.pending[0].entry.seq - 1;
        }
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.pumping = false;
    }
  }

  private take(signal: FeedSignal): void {
    if (signal.entry.seq !== this.lastSeq + 1) return;
    this.lastSeq = signal.entry.seq;
    this.deliver(signal);
  }
}
