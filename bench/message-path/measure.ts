import { connectClients, type Clients } from './connect.js';
import { describeStep, judge, type TargetRun } from './evaluate.js';
import { runLoad } from './load.js';
import { summarize } from './percentiles.js';
import { AGENT_SOCKETS, BODY, CONVERSATIONS, MEASURE_RATE, type Plan } from './plan.js';
import type { Prepared } from './targets.js';

type Log = (line: string) => void;

/** A target with its conversations created and every socket connected and subscribed. */
export interface SetUp {
  readonly name: string;
  readonly prepared: Prepared;
  readonly clients: Clients;
  readonly setupSeconds: number;
}

/** Creates the conversations over the target's API and connects the end users' and agents' sockets. */
export async function setUpTarget(name: string, prepared: Prepared, log: Log): Promise<SetUp> {
  const started = performance.now();
  const fixture = await prepared.fixture();
  const clients = await connectClients(fixture, AGENT_SOCKETS);
  const setupSeconds = (performance.now() - started) / 1000;
  log(
    `${name}: ${CONVERSATIONS} conversations with an end-user socket each, ${AGENT_SOCKETS} agent sockets, ready in ${setupSeconds.toFixed(1)} s`,
  );
  return { name, prepared, clients, setupSeconds };
}

/**
 * Runs the step ladder on a set-up target and closes its sockets: it climbs while steps pass
 * (≥ 99.9 % delivered in time, p99 ≤ 100 ms, the rate actually sent); the step at MEASURE_RATE
 * runs in any case.
 */
export async function loadTarget(setUp: SetUp, plan: Plan, log: Log): Promise<TargetRun> {
  const { name, prepared, clients } = setUp;
  let crashed: string | null = null;
  void prepared.server.child.exited.then((how) => {
    crashed = how;
  });
  try {
    const result = await runLoad(clients, plan.steps, {
      body: BODY,
      trackAcks: prepared.trackAcks,
      finalDrainMs: plan.finalDrainMs,
      cpuCounters: prepared.cpuCounters,
      shouldRun: (step, index, done) => {
        if (crashed !== null)
          throw new Error(`${prepared.server.child.name} exited (${crashed}) during the load`);
        if (index === 0 || step.window) return true;
        const measured = done
          .slice(1)
          .filter((o) => !o.step.window)
          .map(judge);
        // Climb while every step passes; the step at MEASURE_RATE runs regardless (its figures are the headline).
        if (measured.every((v) => v.passed)) return true;
        return (
          step.rate === MEASURE_RATE && !measured.some((v) => v.outcome.step.rate === MEASURE_RATE)
        );
      },
      afterStep: (outcome) => log(describeStep(name, judge(outcome))),
    });
    log(
      `${name}: sent ${result.sent}, delivered ${result.delivered}` +
        (prepared.trackAcks ? `, acked ${result.acked}` : '') +
        `, duplicates/unknown ${result.duplicates}, error frames ${result.errorFrames}, sockets closed ${result.socketsClosed}`,
    );
    for (const e of result.firstErrors) log(`${name}: error frame: ${e}`);
    for (const outcome of result.outcomes) {
      if (outcome.latencies.length === outcome.deliveredInTime) continue;
      const late = summarize(outcome.latencies);
      log(
        `${name} ${outcome.step.label.padEnd(8)} with late arrivals: delivered ${((100 * late.count) / outcome.sent).toFixed(2)}%, ` +
          `latency p50 ${late.p50.toFixed(1)}ms p99 ${late.p99.toFixed(1)}ms max ${late.max.toFixed(1)}ms (the reported figures)`,
      );
    }
    return { result, setupSeconds: setUp.setupSeconds };
  } finally {
    clients.close();
  }
}
