import type { RawData, WebSocket } from 'ws';
import type { Clients } from './connect.js';
import { rawText } from './connect.js';
import { scanClientMessageId } from './frame-scan.js';
import { Receipts, SendLog } from './tracking.js';

/** One rate step of the open-loop load. */
export interface Step {
  readonly label: string;
  /** Open loop: messages per second, sent whatever the replies. */
  readonly rate: number;
  /** Closed loop instead, when set: keep this many messages outstanding (for the sustained rate). */
  readonly window?: number;
  readonly durationMs: number;
  /** After sending, how long to wait for outstanding messages before the next step. */
  readonly drainMs: number;
}

export interface StepOutcome {
  readonly step: Step;
  readonly sent: number;
  /** From the first to the last send of the step. */
  readonly elapsedMs: number;
  /** Delivered to an agent by the end of the step's drain. */
  readonly deliveredInTime: number;
  /** Deliveries (of any step) while this step was sending, per second: the server's output rate. */
  readonly deliveredPerSecondDuring: number;
  /** Latencies (ms) of this step's messages, including ones that arrived after its drain. */
  readonly latencies: readonly number[];
  readonly ackLatencies: readonly number[];
  /** CPU seconds per wall second while the step sent, by the step's `sample` hook. */
  readonly cpu: Record<string, number>;
}

export interface LoadResult {
  readonly outcomes: readonly StepOutcome[];
  readonly sent: number;
  readonly delivered: number;
  readonly acked: number;
  readonly duplicates: number;
  readonly errorFrames: number;
  readonly firstErrors: readonly string[];
  readonly socketsClosed: number;
}

export interface LoadOptions {
  readonly body: string;
  /** Count acks from the server on the end users' sockets (the relay sends none). */
  readonly trackAcks: boolean;
  /** At most this long, wait for stragglers before a step after an overloaded one, and after the last step. */
  readonly finalDrainMs: number;
  /** CPU counters (seconds) to sample around each step; reported per wall second. */
  readonly cpuCounters: Record<string, () => number>;
  /** Before each step: whether to run it, given the outcomes so far (a skipped step has none). */
  readonly shouldRun: (step: Step, index: number, done: readonly StepOutcome[]) => boolean;
  /** After each step's drain (e.g. to report it). */
  readonly afterStep: (outcome: StepOutcome, index: number) => void;
}

/**
 * Open-loop load: each step sends at a fixed rate regardless of replies, round-robin over the
 * conversations, paced by a 1 ms interval that sends whatever is due (a closed-loop step instead
 * tops up to a fixed number of outstanding messages each tick). Frames are pre-serialised
 * up to the client message id (a consecutive integer); its send time lives in a side table.
 * Latency is measured to the first agent socket that receives the event.
 */
export async function runLoad(
  clients: Clients,
  steps: readonly Step[],
  options: LoadOptions,
): Promise<LoadResult> {
  const log = new SendLog();
  const deliveries = new Receipts(log, steps.length);
  const acks = new Receipts(log, steps.length);
  const suffix = `","body":${JSON.stringify(options.body)}}`;
  const prefixes = clients.conversationIds.map(
    (id) => `{"type":"message.send","conversationId":${JSON.stringify(id)},"clientMessageId":"`,
  );
  const senders = clients.endUserSockets;
  let errorFrames = 0;
  let socketsClosed = 0;
  const firstErrors: string[] = [];

  const other = (data: RawData) => {
    const text = rawText(data);
    if (text.startsWith('{"type":"error"')) {
      errorFrames++;
      if (firstErrors.length < 5) firstErrors.push(text.slice(0, 300));
    }
  };
  const onDelivery = (data: RawData) => {
    const id = Buffer.isBuffer(data) ? scanClientMessageId(data) : -1;
    if (id >= 0) deliveries.record(id, performance.now());
    else other(data);
  };
  const onAck = options.trackAcks
    ? (data: RawData) => {
        const id = Buffer.isBuffer(data) ? scanClientMessageId(data) : -1;
        if (id >= 0) acks.record(id, performance.now());
        else other(data);
      }
    : other;
  const onClose = () => socketsClosed++;
  const attach = (socket: WebSocket, listener: (data: RawData) => void) => {
    socket.on('message', listener);
    socket.on('close', onClose);
    return () => {
      socket.off('message', listener);
      socket.off('close', onClose);
    };
  };
  const detach = [
    ...clients.agentSockets.map((s) => attach(s, onDelivery)),
    ...senders.map((s) => attach(s, onAck)),
  ];

  const outcomes: StepOutcome[] = [];
  let cursor = 0;
  try {
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      if (!options.shouldRun(step, index, outcomes)) continue;
      // A step starts with nothing outstanding (after an overloaded step, wait a while longer).
      await drain(() => log.count - deliveries.total, options.finalDrainMs);
      const window = step.window;
      const total = window
        ? Number.POSITIVE_INFINITY
        : Math.round((step.rate * step.durationMs) / 1000);
      const firstId = log.count;
      const deliveredBefore = deliveries.total;
      const cpuBefore = sampleCpu(options.cpuCounters);
      const start = performance.now();
      let sent = 0;
      let lastSendAt = start;
      await new Promise<void>((resolve) => {
        const tick = () => {
          const now = performance.now();
          const due = window
            ? sent + Math.max(0, window - (log.count - deliveries.total))
            : Math.min(total, Math.floor(((now - start) * step.rate) / 1000));
          while (sent < due) {
            const conversation = cursor;
            cursor = cursor + 1 === senders.length ? 0 : cursor + 1;
            const id = log.next(now, index);
            senders[conversation]!.send(prefixes[conversation]! + id + suffix);
            sent++;
          }
          lastSendAt = now;
          if (sent >= total || (window && now - start >= step.durationMs)) {
            clearInterval(timer);
            resolve();
          }
        };
        const timer = setInterval(tick, 1);
      });
      const elapsedMs = Math.max(1, lastSendAt - start);
      const cpuElapsed = (performance.now() - start) / 1000;
      const cpuAfter = sampleCpu(options.cpuCounters);
      const deliveredPerSecondDuring = ((deliveries.total - deliveredBefore) * 1000) / elapsedMs;
      await waitFor(
        () => deliveries.total === log.count && (!options.trackAcks || acks.total === log.count),
        step.drainMs,
      );
      const outcome: StepOutcome = {
        step,
        sent: log.count - firstId,
        elapsedMs,
        deliveredInTime: deliveries.counts[index]!,
        deliveredPerSecondDuring,
        latencies: deliveries.latencies[index]!,
        ackLatencies: acks.latencies[index]!,
        cpu: Object.fromEntries(
          Object.keys(cpuBefore).map((k) => [k, (cpuAfter[k]! - cpuBefore[k]!) / cpuElapsed]),
        ),
      };
      outcomes.push(outcome);
      options.afterStep(outcome, index);
    }
    await drain(() => log.count - deliveries.total, options.finalDrainMs);
  } finally {
    for (const off of detach) off();
  }
  return {
    outcomes,
    sent: log.count,
    delivered: deliveries.total,
    acked: acks.total,
    duplicates: deliveries.duplicates + deliveries.unknown,
    errorFrames,
    firstErrors,
    socketsClosed,
  };
}

function sampleCpu(counters: Record<string, () => number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counters).map(([name, read]) => [name, read()]));
}

/**
 * Waits while messages are outstanding and still arriving: until none are left, nothing has
 * arrived for 3 s (a server that is stuck), or `capMs` passes.
 */
async function drain(outstanding: () => number, capMs: number): Promise<void> {
  const start = performance.now();
  let last = outstanding();
  let lastChange = start;
  while (last > 0) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const now = performance.now();
    const left = outstanding();
    if (left !== last) lastChange = now;
    last = left;
    if (now - start >= capMs || now - lastChange >= 3_000) return;
  }
}

/** Polls `done` every 5 ms until it holds or `timeoutMs` passes. */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 5));
}
