import type { ServerFrame } from '@parlour/protocol';
import type { Bus } from '../../bus/bus.js';
import { conversationTopic } from '../feed-publisher.js';

/** A typing or read frame: ephemeral activity in a conversation, outside its numbered feed. */
export type ActivityFrame = Extract<ServerFrame, { type: 'typing' | 'read' }>;

/**
 * What travels on the conversation's bus topic beside the feed signals. It never takes a seq, so
 * the gateway hands it straight to the sockets instead of to their ordered subscriptions.
 */
export interface ActivitySignal {
  readonly activity: {
    readonly frame: ActivityFrame;
    /** The sending socket's id: it does not get its own frame back. */
    readonly from: string | null;
    /** Internal-note typing: never delivered to end users. */
    readonly staffOnly: boolean;
  };
}

export function isActivitySignal(payload: unknown): payload is ActivitySignal {
  return typeof payload === 'object' && payload !== null && 'activity' in payload;
}

/** Published right away (nothing is stored): to every process watching the conversation. */
export async function publishActivity(
  bus: Bus,
  activity: ActivitySignal['activity'],
): Promise<void> {
  const signal: ActivitySignal = { activity };
  await bus.publish(conversationTopic(activity.frame.conversationId), signal);
}
