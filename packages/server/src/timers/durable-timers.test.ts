import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import type { Database } from '@parlour/storage';
import {
  availableStorageKinds,
  createTestDatabase,
} from '../../../storage/src/testing/test-database.js';
import { ManualClock } from '../clock.js';
import { newId } from '../ids.js';
import { DurableTimers, type DurableTimersOptions, type TimerRecord } from './durable-timers.js';

const SECOND = 1_000;
const DAY = 24 * 60 * 60 * SECOND;

describe.each(availableStorageKinds())('durable timers on %s', (kind) => {
  let database: Database;
  let clock: ManualClock;
  let errors: Array<{ err: unknown; timer: TimerRecord | undefined }>;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    clock = new ManualClock('2026-01-05T09:00:00.000Z');
    errors = [];
  });

  afterEach(async () => {
    await database.close();
  });

  function makeTimers(overrides: Partial<DurableTimersOptions> = {}): DurableTimers {
    return new DurableTimers({
      database,
      clock,
      newId,
      onError: (err, timer) => errors.push({ err, timer }),
      ...overrides,
    });
  }

  function inFromNow(ms: number): Date {
    return new Date(clock.now().getTime() + ms);
  }

  async function storedTimers() {
    return database.db.selectFrom('timers').selectAll().orderBy('due_at').execute();
  }

  it('keeps a waiting keyed timer as it is when asked to schedule it only if absent', async () => {
    const timers = makeTimers();
    await timers.scheduleIfAbsent(inFromNow(SECOND), 'bot.answer', { n: 1 }, { key: 'bot:c1' });
    await timers.scheduleIfAbsent(inFromNow(DAY), 'bot.answer', { n: 2 }, { key: 'bot:c1' });
    const rows = await storedTimers();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toEqual({ n: 1 });
  });

  it('fires only the timer of the given key with runKey, and only once it is due', async () => {
    const timers = makeTimers();
    const fired: string[] = [];
    timers.on('bot.answer', async (timer) => void fired.push(timer.key ?? ''));
    await timers.schedule(clock.now(), 'bot.answer', {}, { key: 'bot:a' });
    await timers.schedule(clock.now(), 'bot.answer', {}, { key: 'bot:b' });
    await timers.schedule(inFromNow(SECOND), 'bot.answer', {}, { key: 'bot:later' });
    expect(await timers.runKey('bot:a')).toBe(true);
    expect(await timers.runKey('bot:a')).toBe(false);
    expect(await timers.runKey('bot:later')).toBe(false);
    expect(fired).toEqual(['bot:a']);
    expect((await storedTimers()).map((t) => t.key).sort()).toEqual(['bot:b', 'bot:later']);
  });

  it('does not fire a timer before it is due', async () => {
    const timers = makeTimers();
    const fired: TimerRecord[] = [];
    timers.on('offer-timeout', async (timer) => void fired.push(timer));
    await timers.schedule(inFromNow(30 * SECOND), 'offer-timeout', { offerId: 'o1' });

    clock.advance(30 * SECOND - 1);
    expect(await timers.runDue()).toBe(0);
    expect(fired).toEqual([]);
    expect(await storedTimers()).toHaveLength(1);
  });

  it('fires a due timer once, with what was scheduled', async () => {
    const timers = makeTimers();
    const fired: TimerRecord[] = [];
    timers.on('offer-timeout', async (timer) => void fired.push(timer));
    const dueAt = inFromNow(30 * SECOND);
    const id = await timers.schedule(
      dueAt,
      'offer-timeout',
      { offerId: 'o1', agents: ['a', 'b'] },
      { key: 'offer:o1' },
    );

    clock.advance(30 * SECOND);
    expect(await timers.runDue()).toBe(1);
    expect(await timers.runDue()).toBe(0);
    expect(fired).toEqual([
      {
        id,
        kind: 'offer-timeout',
        key: 'offer:o1',
        payload: { offerId: 'o1', agents: ['a', 'b'] },
        dueAt,
        attempts: 0,
      },
    ]);
    expect(await storedTimers()).toEqual([]);
  });

  it('fires timers due days ahead once the clock jumps past them, and only those', async () => {
    const timers = makeTimers();
    const fired: unknown[] = [];
    timers.on('reminder', async (timer) => void fired.push(timer.payload.n));
    await timers.schedule(inFromNow(3 * DAY), 'reminder', { n: 3 });
    await timers.schedule(inFromNow(1 * DAY), 'reminder', { n: 1 });
    await timers.schedule(inFromNow(5 * DAY), 'reminder', { n: 5 });

    clock.advance(3 * DAY);
    expect(await timers.runDue()).toBe(2);
    expect(fired).toEqual([1, 3]);
    expect((await storedTimers()).map((row) => row.payload)).toEqual([{ n: 5 }]);
  });

  it('fires a timer scheduled before a restart from a new instance', async () => {
    const before = makeTimers();
    await before.schedule(inFromNow(DAY), 'reminder', { n: 1 });

    const after = makeTimers();
    const fired: unknown[] = [];
    after.on('reminder', async (timer) => void fired.push(timer.payload));
    clock.advance(DAY);
    expect(await after.runDue()).toBe(1);
    expect(fired).toEqual([{ n: 1 }]);
  });

  it('fires each of 50 timers exactly once when two instances race', async () => {
    const fired: string[] = [];
    const racers = [makeTimers({ batchSize: 5 }), makeTimers({ batchSize: 5 })];
    for (const timers of racers) {
      timers.on('race', async (timer, trx) => {
        fired.push(timer.id);
        // A second commit of the same timer would break the settings primary key.
        await trx
          .insertInto('settings')
          .values({ key: timer.id, value: JSON.stringify(timer.payload), updated_at: clock.now() })
          .execute();
        await new Promise((resolve) => setTimeout(resolve, 1));
      });
    }
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(await racers[0]!.schedule(inFromNow(i), 'race', { i }));

    clock.advance(SECOND);
    const counts = await Promise.all(racers.map((timers) => timers.runDue()));

    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(50);
    expect([...fired].sort()).toEqual([...ids].sort());
    expect(await database.db.selectFrom('settings').select('key').execute()).toHaveLength(50);
    expect(await storedTimers()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('cancels a timer by id', async () => {
    const timers = makeTimers();
    const fired: unknown[] = [];
    timers.on('reminder', async (timer) => void fired.push(timer.payload));
    const id = await timers.schedule(inFromNow(SECOND), 'reminder', {});

    expect(await timers.cancel({ id })).toBe(true);
    expect(await timers.cancel({ id })).toBe(false);
    clock.advance(SECOND);
    expect(await timers.runDue()).toBe(0);
    expect(fired).toEqual([]);
  });

  it('cancels a timer by key', async () => {
    const timers = makeTimers();
    const fired: unknown[] = [];
    timers.on('reminder', async (timer) => void fired.push(timer.payload));
    await timers.schedule(inFromNow(SECOND), 'reminder', { n: 1 }, { key: 'offer:o1' });
    await timers.schedule(inFromNow(SECOND), 'reminder', { n: 2 }, { key: 'offer:o2' });

    expect(await timers.cancel({ key: 'offer:o1' })).toBe(true);
    expect(await timers.cancel({ key: 'offer:o1' })).toBe(false);
    clock.advance(SECOND);
    expect(await timers.runDue()).toBe(1);
    expect(fired).toEqual([{ n: 2 }]);
  });

  it('replaces the timer of a key when the key is scheduled again', async () => {
    const timers = makeTimers();
    const fired: TimerRecord[] = [];
    timers.on('offer-timeout', async (timer) => void fired.push(timer));
    await timers.schedule(
      inFromNow(10 * SECOND),
      'offer-timeout',
      { round: 1 },
      { key: 'offer:o1' },
    );
    const id = await timers.schedule(
      inFromNow(60 * SECOND),
      'offer-timeout',
      { round: 2 },
      { key: 'offer:o1' },
    );

    clock.advance(10 * SECOND);
    expect(await timers.runDue()).toBe(0);
    clock.advance(50 * SECOND);
    expect(await timers.runDue()).toBe(1);
    expect(fired.map((timer) => [timer.id, timer.payload])).toEqual([[id, { round: 2 }]]);
  });

  it('keeps a timer whose handler failed and retries it later, counting attempts', async () => {
    const timers = makeTimers();
    const attempts: number[] = [];
    timers.on('flaky', async (timer) => {
      attempts.push(timer.attempts);
      if (timer.attempts < 2) throw new Error(`try ${timer.attempts} failed`);
    });
    await timers.schedule(inFromNow(SECOND), 'flaky', {});

    clock.advance(SECOND);
    expect(await timers.runDue()).toBe(0);
    const [afterFirst] = await storedTimers();
    expect(afterFirst).toMatchObject({ attempts: 1, last_error: 'try 0 failed' });
    expect(afterFirst?.due_at).toEqual(inFromNow(SECOND));

    clock.advance(SECOND - 1);
    expect(await timers.runDue()).toBe(0);
    clock.advance(1);
    expect(await timers.runDue()).toBe(0);
    expect((await storedTimers())[0]).toMatchObject({ attempts: 2, last_error: 'try 1 failed' });
    expect((await storedTimers())[0]?.due_at).toEqual(inFromNow(2 * SECOND));

    clock.advance(2 * SECOND);
    expect(await timers.runDue()).toBe(1);
    expect(attempts).toEqual([0, 1, 2]);
    expect(await storedTimers()).toEqual([]);
    expect(errors.map(({ err, timer }) => [(err as Error).message, timer?.kind])).toEqual([
      ['try 0 failed', 'flaky'],
      ['try 1 failed', 'flaky'],
    ]);
  });

  it('rolls back what a failing handler wrote and still fires the rest of the batch', async () => {
    const timers = makeTimers();
    timers.on('write', async (timer, trx) => {
      await trx
        .insertInto('settings')
        .values({ key: String(timer.payload.name), value: '1', updated_at: clock.now() })
        .execute();
      if (timer.payload.fail) throw new Error('after writing');
    });
    await timers.schedule(inFromNow(1), 'write', { name: 'first' });
    await timers.schedule(inFromNow(2), 'write', { name: 'failing', fail: true });
    await timers.schedule(inFromNow(3), 'write', { name: 'last' });

    clock.advance(SECOND);
    expect(await timers.runDue()).toBe(2);
    const settings = await database.db
      .selectFrom('settings')
      .select('key')
      .orderBy('key')
      .execute();
    expect(settings.map((row) => row.key)).toEqual(['first', 'last']);
    expect((await storedTimers()).map((row) => row.payload)).toEqual([
      { name: 'failing', fail: true },
    ]);
  });

  it('keeps a timer whose kind has no handler and reports it', async () => {
    const timers = makeTimers();
    await timers.schedule(inFromNow(SECOND), 'unknown-kind', { n: 1 });

    clock.advance(SECOND);
    expect(await timers.runDue()).toBe(0);
    expect(await storedTimers()).toMatchObject([{ kind: 'unknown-kind', attempts: 1 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.timer?.kind).toBe('unknown-kind');
  });

  it('runs the after-commit callback only once the transaction has committed', async () => {
    const timers = makeTimers();
    const seen: Array<{ timerRows: number; settingRows: number }> = [];
    let handlerDone = false;
    timers.on('publish', async (timer, trx) => {
      await trx
        .insertInto('settings')
        .values({ key: 'published', value: '1', updated_at: clock.now() })
        .execute();
      handlerDone = true;
      return async () => {
        // Read outside the transaction: only committed work is visible here.
        const timerRows = await database.db
          .selectFrom('timers')
          .select('id')
          .where('id', '=', timer.id)
          .execute();
        const settingRows = await database.db.selectFrom('settings').select('key').execute();
        seen.push({ timerRows: timerRows.length, settingRows: settingRows.length });
      };
    });
    await timers.schedule(inFromNow(SECOND), 'publish', {});

    clock.advance(SECOND);
    expect(await timers.runDue()).toBe(1);
    expect(handlerDone).toBe(true);
    expect(seen).toEqual([{ timerRows: 0, settingRows: 1 }]);
  });

  it('never runs the after-commit callback when the commit fails, and keeps the timer', async () => {
    // A deferred constraint is only checked at COMMIT: the handler succeeds, the commit does not.
    await sql`create table commit_guard (n int unique deferrable initially deferred)`.execute(
      database.db,
    );
    const timers = makeTimers();
    let callbackRan = false;
    timers.on('publish', async (_timer, trx) => {
      await sql`insert into commit_guard values (1), (1)`.execute(trx);
      return () => {
        callbackRan = true;
      };
    });
    await timers.schedule(inFromNow(SECOND), 'publish', {});

    clock.advance(SECOND);
    await expect(timers.runDue()).rejects.toThrow();
    expect(callbackRan).toBe(false);
    expect(await storedTimers()).toHaveLength(1);
  });

  it('drops a timer scheduled inside a transaction that rolls back', async () => {
    const timers = makeTimers();
    const fired: unknown[] = [];
    timers.on('reminder', async (timer) => void fired.push(timer.payload));
    await expect(
      database.db.transaction().execute(async (trx) => {
        await timers.schedule(inFromNow(SECOND), 'reminder', { n: 1 }, { db: trx });
        throw new Error('the use case failed');
      }),
    ).rejects.toThrow('the use case failed');
    await database.db.transaction().execute(async (trx) => {
      await timers.schedule(inFromNow(SECOND), 'reminder', { n: 2 }, { db: trx });
    });

    clock.advance(SECOND);
    expect(await timers.runDue()).toBe(1);
    expect(fired).toEqual([{ n: 2 }]);
  });

  it('fires more due timers than one batch holds, in due order', async () => {
    const timers = makeTimers({ batchSize: 3 });
    const fired: unknown[] = [];
    timers.on('reminder', async (timer) => void fired.push(timer.payload.n));
    for (const n of [7, 2, 9, 0, 4, 1, 8, 3, 6, 5])
      await timers.schedule(inFromNow(n), 'reminder', { n });

    clock.advance(SECOND);
    expect(await timers.runDue()).toBe(10);
    expect(fired).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('fires due timers on its own once started, and stops polling when stopped', async () => {
    const timers = makeTimers({ pollIntervalMs: 10 });
    const fired: unknown[] = [];
    timers.on('reminder', async (timer) => void fired.push(timer.payload.n));
    await timers.schedule(inFromNow(SECOND), 'reminder', { n: 1 });
    clock.advance(SECOND);

    timers.start();
    await vi.waitFor(() => expect(fired).toEqual([1]), { timeout: 2_000, interval: 10 });
    await timers.stop();

    await timers.schedule(clock.now(), 'reminder', { n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fired).toEqual([1]);
  });

  it('reports a failing after-commit callback without undoing the fired timer', async () => {
    const timers = makeTimers();
    timers.on('publish', async () => () => {
      throw new Error('redis is down');
    });
    await timers.schedule(inFromNow(SECOND), 'publish', {});

    clock.advance(SECOND);
    expect(await timers.runDue()).toBe(1);
    expect(await storedTimers()).toEqual([]);
    expect(errors.map(({ err }) => (err as Error).message)).toEqual(['redis is down']);
  });
});
