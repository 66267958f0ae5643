import { sql, type Transaction } from 'kysely';
import type { Database, Db, Schema } from '@parlour/storage';
import type { Clock } from '../clock.js';
import { retryDelayMs } from './retry-delay.js';

export interface TimerRecord {
  id: string;
  kind: string;
  key: string | null;
  payload: Record<string, unknown>;
  dueAt: Date;
  /** Failed tries so far. */
  attempts: number;
}

/** Runs inside the transaction that deletes the timer; may return a callback run after commit (e.g. publishing to the bus). */
export type TimerHandler = (
  timer: TimerRecord,
  trx: Transaction<Schema>,
) => Promise<void | (() => Promise<void> | void)>;

export interface DurableTimersOptions {
  database: Database;
  clock: Clock;
  newId: () => string;
  /** How often start() looks for due timers (default 250 ms). */
  pollIntervalMs?: number;
  /** How many timers one transaction claims (default 50). */
  batchSize?: number;
  /** Failed handlers (with their timer), failed polls and failed after-commit callbacks. */
  onError?: (err: unknown, timer?: TimerRecord) => void;
}

const LAST_ERROR_MAX_LENGTH = 2_000;

/**
 * Timers kept as rows of the `timers` table (offer timeouts, automations, workflow waits), so
 * they survive restarts and any server process can fire them.
 *
 * - Each timer fires at most once across processes. A transaction claims due rows with
 *   `SELECT … WHERE due_at <= now ORDER BY due_at LIMIT batch FOR UPDATE SKIP LOCKED`, runs each
 *   timer's handler inside that transaction, deletes the row and commits; only then do the
 *   after-commit callbacks the handlers returned run. A handler's writes and the timer's deletion
 *   commit together or not at all.
 * - A handler that throws loses nothing: its work is rolled back (to a savepoint taken just
 *   before it, so the other timers of the batch still fire), then the row gets `attempts + 1`,
 *   `last_error` and a later `due_at` (1 s, 2 s, 4 s … capped at 5 min). The update happens
 *   while the claim is still held, so no other process can retry it early.
 * - A timer whose kind has no handler here is treated like a failure: kept, reported, retried.
 * - Time comes only from the injected clock: with a ManualClock, tests schedule days ahead,
 *   advance the clock and call runDue().
 * - Handlers must use the `trx` they are given: on PGlite the single connection is theirs
 *   until the batch commits, so a query through `database.db` would wait forever.
 */
export class DurableTimers {
  private readonly database: Database;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly onError: (err: unknown, timer?: TimerRecord) => void;
  private readonly handlers = new Map<string, TimerHandler>();
  private poller: ReturnType<typeof setInterval> | undefined;
  private polling: Promise<void> | undefined;

  constructor(opts: DurableTimersOptions) {
    this.database = opts.database;
    this.clock = opts.clock;
    this.newId = opts.newId;
    this.pollIntervalMs = opts.pollIntervalMs ?? 250;
    this.batchSize = opts.batchSize ?? 50;
    this.onError =
      opts.onError ?? ((err, timer) => console.error('timer failed', timer?.kind ?? '', err));
  }

  on(kind: string, handler: TimerHandler): void {
    if (this.handlers.has(kind))
      throw new Error(`a handler for timer kind "${kind}" is already registered`);
    this.handlers.set(kind, handler);
  }

  /** With a key, replaces the timer of that key (a reschedule: new id, attempts back to 0). */
  async schedule(
    at: Date,
    kind: string,
    payload: Record<string, unknown>,
    opts: { key?: string; db?: Db } = {},
  ): Promise<string> {
    const db = opts.db ?? this.database.db;
    const row = {
      id: this.newId(),
      kind,
      key: opts.key ?? null,
      payload: JSON.stringify(payload),
      due_at: at,
      created_at: this.clock.now(),
      attempts: 0,
      last_error: null,
    };
    await db
      .insertInto('timers')
      .values(row)
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          id: row.id,
          kind: row.kind,
          payload: row.payload,
          due_at: row.due_at,
          created_at: row.created_at,
          attempts: 0,
          last_error: null,
        }),
      )
      .execute();
    return row.id;
  }

  /** Schedules several keyed timers in one statement (each replaces the timer of its key). */
  async scheduleMany(
    items: readonly { at: Date; kind: string; payload: Record<string, unknown>; key: string }[],
    db: Db = this.database.db,
  ): Promise<void> {
    if (items.length === 0) return;
    const now = this.clock.now();
    await db
      .insertInto('timers')
      .values(
        items.map((i) => ({
          id: this.newId(),
          kind: i.kind,
          key: i.key,
          payload: JSON.stringify(i.payload),
          due_at: i.at,
          created_at: now,
          attempts: 0,
          last_error: null,
        })),
      )
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet((eb) => ({
          id: eb.ref('excluded.id'),
          kind: eb.ref('excluded.kind'),
          payload: eb.ref('excluded.payload'),
          due_at: eb.ref('excluded.due_at'),
          created_at: eb.ref('excluded.created_at'),
          attempts: 0,
          last_error: null,
        })),
      )
      .execute();
  }

  /**
   * Creates a keyed timer unless one with that key is already waiting (which then fires as it
   * is). Unlike `schedule`, it never waits for a batch that has claimed that timer.
   */
  async scheduleIfAbsent(
    at: Date,
    kind: string,
    payload: Record<string, unknown>,
    opts: { key: string; db?: Db },
  ): Promise<void> {
    await (opts.db ?? this.database.db)
      .insertInto('timers')
      .values({
        id: this.newId(),
        kind,
        key: opts.key,
        payload: JSON.stringify(payload),
        due_at: at,
        created_at: this.clock.now(),
        attempts: 0,
        last_error: null,
      })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .execute();
  }

  /**
   * Fires the timer with this key now if it is due and no other process holds it (the poller
   * would fire it soon; this spares the wait). Resolves to whether it fired.
   */
  async runKey(key: string): Promise<boolean> {
    const batch = await this.fireBatch(this.clock.now(), key);
    return batch.fired > 0;
  }

  /** Whether a timer with this key is waiting to fire. */
  async isScheduled(key: string, db: Db = this.database.db): Promise<boolean> {
    return (
      (await db.selectFrom('timers').select('id').where('key', '=', key).executeTakeFirst()) !==
      undefined
    );
  }

  /** True when a timer was removed; false when it had already fired or never existed. */
  async cancel(ref: { id?: string; key?: string }, db: Db = this.database.db): Promise<boolean> {
    if (ref.id === undefined && ref.key === undefined)
      throw new TypeError('cancel needs an id or a key');
    let query = db.deleteFrom('timers');
    if (ref.id !== undefined) query = query.where('id', '=', ref.id);
    if (ref.key !== undefined) query = query.where('key', '=', ref.key);
    const result = await query.executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Fires every timer due at the clock's now; resolves to how many fired. */
  async runDue(): Promise<number> {
    const now = this.clock.now();
    let fired = 0;
    // Every claimed row leaves the due set (deleted, or pushed past `now`), so this ends; a
    // short batch means nothing due is left that another process has not claimed.
    for (;;) {
      const batch = await this.fireBatch(now);
      fired += batch.fired;
      if (batch.claimed < this.batchSize) return fired;
    }
  }

  /** Polls runDue with a real interval until stop(); a poll never overlaps the previous one. */
  start(): void {
    if (this.poller) return;
    const poll = () => {
      if (this.polling) return;
      this.polling = this.runDue()
        .then(
          () => undefined,
          (err: unknown) => this.onError(err),
        )
        .finally(() => {
          this.polling = undefined;
        });
    };
    this.poller = setInterval(poll, this.pollIntervalMs);
    poll();
  }

  async stop(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    await this.polling;
  }

  private async fireBatch(now: Date, key?: string): Promise<{ claimed: number; fired: number }> {
    const afterCommit: Array<{ timer: TimerRecord; callback: () => Promise<void> | void }> = [];
    const failures: Array<{ timer: TimerRecord; err: unknown }> = [];
    const claimed = await this.database.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('timers')
        .select(['id', 'kind', 'key', 'payload', 'due_at', 'attempts'])
        .where('due_at', '<=', now);
      if (key !== undefined) query = query.where('key', '=', key);
      const rows = await query
        .orderBy('due_at')
        .orderBy('id')
        .limit(this.batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const row of rows) {
        const timer: TimerRecord = {
          id: row.id,
          kind: row.kind,
          key: row.key,
          payload: row.payload,
          dueAt: row.due_at,
          attempts: row.attempts,
        };
        await sql`savepoint fire_timer`.execute(trx);
        try {
          const handler = this.handlers.get(timer.kind);
          if (!handler) throw new Error(`no handler for timer kind "${timer.kind}"`);
          const callback = await handler(timer, trx);
          await trx.deleteFrom('timers').where('id', '=', timer.id).execute();
          await sql`release savepoint fire_timer`.execute(trx);
          if (callback) afterCommit.push({ timer, callback });
        } catch (err) {
          await sql`rollback to savepoint fire_timer`.execute(trx);
          await sql`release savepoint fire_timer`.execute(trx);
          await this.postpone(trx, timer, err);
          failures.push({ timer, err });
        }
      }
      return rows.length;
    });
    for (const { timer, err } of failures) this.onError(err, timer);
    for (const { timer, callback } of afterCommit) {
      try {
        await callback();
      } catch (err) {
        this.onError(err, timer);
      }
    }
    return { claimed, fired: claimed - failures.length };
  }

  private async postpone(
    trx: Transaction<Schema>,
    timer: TimerRecord,
    err: unknown,
  ): Promise<void> {
    const attempts = timer.attempts + 1;
    await trx
      .updateTable('timers')
      .set({
        attempts,
        last_error: describeError(err).slice(0, LAST_ERROR_MAX_LENGTH),
        due_at: new Date(this.clock.now().getTime() + retryDelayMs(attempts)),
      })
      .where('id', '=', timer.id)
      .execute();
  }
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
