/**
 * Collects requests while a batch is being written and writes them together next: one
 * transaction (one commit, one round of statements) for many messages under load, and a batch of
 * one when idle. Batches run one after another, so requests keep their arrival order.
 */
export class SerialBatcher<Req, Res> {
  private queue: { req: Req; resolve: (r: Res) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly process: (batch: readonly Req[]) => Promise<readonly (Res | Error)[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Start on the next turn of the event loop, so frames that arrived together are read
        // first and written together (PGlite runs queries on this thread and would otherwise
        // write one message per transaction).
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Resolves once everything submitted so far has been written. */
  async idle(): Promise<void> {
    while (this.running || this.queue.length > 0) await new Promise((r) => setImmediate(r));
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        let results: readonly (Res | Error)[];
        try {
          results = await this.process(batch.map((b) => b.req));
        } catch (error) {
          results = batch.map(() => (error instanceof Error ? error : new Error(String(error))));
        }
        batch.forEach((b, i) => {
          const r = results[i];
          if (r instanceof Error) b.reject(r);
          else b.resolve(r as Res);
        });
      }
    } finally {
      this.running = false;
    }
  }
}
