import type { Actor } from '@parlour/core';

/** Durable timer kinds of routing. */
export const TIMER = {
  offerTimeout: 'routing.offer-timeout',
  relaxSkills: 'routing.relax-skills',
  overflow: 'routing.overflow',
  firstReply: 'routing.first-reply',
} as const;

/** Routing's own changes are the system's. */
export const SYSTEM: Actor = { type: 'system', reason: 'routing' };
