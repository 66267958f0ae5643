export { DurableTimers } from './durable-timers.js';
export type { DurableTimersOptions, TimerHandler, TimerRecord } from './durable-timers.js';
export { retryDelayMs } from './retry-delay.js';
