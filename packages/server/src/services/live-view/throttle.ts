/**
 * Runs `work` at most once per `gapMs`, never two at a time: a call while it runs (or inside the
 * gap) is remembered once and served by one run after. The first call after a quiet spell runs at
 * once, so an isolated change costs no added latency and a storm costs one run per gap.
 */
export class Throttle {
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private lastStart = Number.NEGATIVE_INFINITY;
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly work: () => Promise<void>,
    private readonly gapMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  trigger(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    const wait = this.lastStart + this.gapMs - performance.now();
    if (wait <= 0) this.run();
    else this.timer = setTimeout(() => this.run(), wait);
  }

  /** Resolves when the run in progress (if any) is over. */
  idle(): Promise<void> {
    return this.current;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.again = false;
  }

  private run(): void {
    this.timer = null;
    this.running = true;
    this.lastStart = performance.now();
    this.current = this.work()
      .catch(this.onError)
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }
}
