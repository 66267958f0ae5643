import type { ServerFrame } from '@parlour/protocol';
import type { Bus } from '../../bus/bus.js';

/** Each staff member's own topic: offers, their status, conference invitations reach every tab they have open. */
export function userTopic(userId: string): string {
  return `user:${userId}`;
}

export async function publishToUser(bus: Bus, userId: string, frame: ServerFrame): Promise<void> {
  await bus.publish(userTopic(userId), frame);
}
