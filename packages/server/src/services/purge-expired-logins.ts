import { deleteExpiredAuthSessions } from '@parlour/storage';
import type { Clock } from '../clock.js';
import type { DurableTimers } from '../timers/durable-timers.js';

const KIND = 'maintenance.purge-expired-logins';
const KEY = 'maintenance:purge-expired-logins';
const EVERY_MS = 60 * 60 * 1000;

/**
 * Expired login sessions are refused at once, but their rows stay until this hourly durable job
 * removes them. It reschedules itself in the same transaction, so exactly one runs per hour
 * however many processes serve.
 */
export async function schedulePurgeOfExpiredLogins(
  timers: DurableTimers,
  clock: Clock,
): Promise<void> {
  timers.on(KIND, async (_timer, trx) => {
    await deleteExpiredAuthSessions(trx, clock.now());
    await timers.schedule(
      new Date(clock.now().getTime() + EVERY_MS),
      KIND,
      {},
      { key: KEY, db: trx },
    );
  });
  if (!(await timers.isScheduled(KEY)))
    await timers.schedule(new Date(clock.now().getTime() + EVERY_MS), KIND, {}, { key: KEY });
}
