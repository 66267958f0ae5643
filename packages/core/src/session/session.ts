export type SessionState = 'active' | 'ended';
export type SessionEndReason = 'ended_by_agent' | 'customer_left' | 'ticket_closed';
export const SESSION_END_REASONS: readonly SessionEndReason[] = [
  'ended_by_agent',
  'customer_left',
  'ticket_closed',
];

/** The real-time exchange inside a messaging conversation. Exactly one per messaging conversation. */
export interface Session {
  readonly id: string;
  readonly conversationId: string;
  readonly state: SessionState;
  readonly endReason: SessionEndReason | null;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
}
