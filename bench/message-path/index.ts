import type { Benchmark, BenchmarkOptions, Metrics } from '../benchmark.js';
import { metricsOf, type TargetRun } from './evaluate.js';
import { loadTarget, setUpTarget, type SetUp } from './measure.js';
import { FULL_PLAN, QUICK_PLAN, type Plan } from './plan.js';
import { prepareBaseline, preparePglite, preparePostgres, type Prepared } from './targets.js';

const TARGETS = ['baseline', 'postgres', 'pglite'] as const;
type Target = (typeof TARGETS)[number];
type Log = (line: string) => void;

/**
 * message-path: end user → server → agent over WebSockets for 1,000 concurrent conversations, on
 * PostgreSQL and on PGlite, beside a bare `ws` relay as the baseline, in one run. Loads run one
 * target at a time. With --quick, PGlite (slow to start and set up) is prepared while PostgreSQL
 * is, and waits idle (sockets open) during the PostgreSQL load; its setup_s then overlaps.
 * Options: --only=baseline,postgres,pglite (a subset, for investigation).
 */
export const messagePath: Benchmark = {
  async run({ quick, args, log }: BenchmarkOptions): Promise<Metrics> {
    const plan = quick ? QUICK_PLAN : FULL_PLAN;
    const only = args
      .find((a) => a.startsWith('--only='))
      ?.slice('--only='.length)
      .split(',');
    const unknown = args.filter((a) => !a.startsWith('--only='));
    if (unknown.length > 0)
      throw new Error(
        `message-path: unknown options ${unknown.join(' ')} (known: --quick, --only=${TARGETS.join(',')})`,
      );
    const wanted = (t: Target) => !only || only.includes(t);
    log(
      `message-path${quick ? ' --quick' : ''}: steps ${plan.steps.map((s) => `${s.label} × ${s.durationMs / 1000} s`).join(', ')}`,
    );

    const metrics: Metrics = {};
    const record = (target: Target, run: TargetRun | null) =>
      Object.assign(
        metrics,
        metricsOf(target, plan, run, {
          acks: target !== 'baseline',
          cpuKeys: target === 'postgres' ? ['server', 'db', 'client'] : ['server', 'client'],
        }),
      );

    if (wanted('baseline'))
      record('baseline', await measure(prepareBaseline(log), 'baseline', plan, log));
    let pglite: Promise<SetUp> | null = null;
    try {
      if (wanted('pglite') && quick) pglite = setUpInBackground(preparePglite(log), 'pglite', log);
      if (wanted('postgres')) {
        const postgres = await preparePostgres(log);
        record(
          'postgres',
          postgres ? await measure(Promise.resolve(postgres), 'postgres', plan, log, pglite) : null,
        );
      }
      if (wanted('pglite')) {
        pglite ??= setUpInBackground(preparePglite(log), 'pglite', log);
        const setUp = await pglite;
        try {
          record('pglite', await loadTarget(setUp, plan, log));
        } finally {
          await setUp.prepared.dispose();
        }
      }
    } finally {
      if (pglite) await pglite.then((s) => s.prepared.dispose()).catch(() => undefined);
    }
    return metrics;
  },
};

/** Prepares and sets up a target; if set-up fails, the target is disposed of. */
function setUpInBackground(preparing: Promise<Prepared>, name: Target, log: Log): Promise<SetUp> {
  const setUp = preparing.then((prepared) =>
    setUpTarget(name, prepared, log).catch(async (error: unknown) => {
      await prepared.dispose();
      throw error;
    }),
  );
  setUp.catch(() => undefined); // awaited later; not an unhandled rejection meanwhile
  return setUp;
}

/** Sets up, loads and disposes of one target; `waitFor` (another target's set-up) settles before the load. */
async function measure(
  preparing: Promise<Prepared>,
  name: Target,
  plan: Plan,
  log: Log,
  waitFor?: Promise<unknown> | null,
): Promise<TargetRun> {
  const prepared = await preparing;
  try {
    const setUp = await setUpTarget(name, prepared, log);
    await waitFor?.catch(() => undefined);
    return await loadTarget(setUp, plan, log);
  } finally {
    await prepared.dispose();
  }
}
