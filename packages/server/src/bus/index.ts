export type { Bus, BusHandler, Unsubscribe } from './bus.js';
export { createInProcessBus, InProcessHub } from './in-process-bus.js';
export type { HubSubscription, InProcessBusOptions } from './in-process-bus.js';
export { createRedisBus } from './redis-bus.js';
export type { RedisBusOptions } from './redis-bus.js';
