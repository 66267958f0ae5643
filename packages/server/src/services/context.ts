import type { Database } from '@parlour/storage';
import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.js';
import type { Clock } from '../clock.js';

/** What every use case gets at wiring time: the ports, never looked up globally. */
export interface ServiceContext {
  readonly database: Database;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
}
