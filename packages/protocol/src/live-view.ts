import { Type, type Static } from 'typebox';
import { Channel, Id, Nullable, TicketStatus, Timestamp } from './common.js';
import { AgentStatus } from './routing.js';

/** One queue (a group) in the supervisor's live view. */
export const LiveQueue = Type.Object({
  groupId: Id,
  name: Type.String(),
  /** Tickets waiting in the queue (not yet offered). */
  waiting: Type.Integer({ minimum: 0 }),
  /** When the longest-waiting ticket (queued or offered) became eligible; null when none waits. */
  longestWaitingSince: Nullable(Timestamp),
  /** Offers out to agents, not yet answered. */
  offersPending: Type.Integer({ minimum: 0 }),
  /** Offers that expired unanswered (RONA) in the last 30 minutes. */
  missedLast30m: Type.Integer({ minimum: 0 }),
});
export type LiveQueue = Static<typeof LiveQueue>;

const ChannelLoad = Type.Object({
  used: Type.Integer({ minimum: 0 }),
  capacity: Type.Integer({ minimum: 0 }),
  free: Type.Integer({ minimum: 0 }),
});

/** A conversation an agent has open (assigned, New or Open). */
export const LiveConversation = Type.Object({
  conversationId: Id,
  ticketId: Id,
  ticketNumber: Type.Integer(),
  channel: Channel,
  status: TicketStatus,
  subject: Nullable(Type.String()),
  customerName: Nullable(Type.String()),
  groupId: Nullable(Id),
});
export type LiveConversation = Static<typeof LiveConversation>;

/** One agent in the supervisor's live view. */
export const LiveAgent = Type.Object({
  id: Id,
  name: Type.String(),
  role: Type.String(),
  status: AgentStatus,
  idleReason: Nullable(Type.String()),
  statusSince: Timestamp,
  online: Type.Boolean(),
  groupIds: Type.Array(Id),
  messaging: ChannelLoad,
  email: ChannelLoad,
  conversations: Type.Array(LiveConversation),
});
export type LiveAgent = Static<typeof LiveAgent>;

/** Everything a supervisor's live view shows, scoped to their groups; `at` is the server's now. */
export const LiveModel = Type.Object({
  at: Timestamp,
  queues: Type.Array(LiveQueue),
  agents: Type.Array(LiveAgent),
});
export type LiveModel = Static<typeof LiveModel>;

/** Rows that changed since the last frame (whole rows), and rows that left the scope. */
export const LiveUpdate = Type.Object({
  at: Timestamp,
  queues: Type.Array(LiveQueue),
  agents: Type.Array(LiveAgent),
  removedQueueIds: Type.Array(Id),
  removedAgentIds: Type.Array(Id),
});
export type LiveUpdate = Static<typeof LiveUpdate>;

export const LiveNoteBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 10_000 }) },
  { additionalProperties: false },
);
export type LiveNoteBody = Static<typeof LiveNoteBody>;

export const LiveReassignBody = Type.Union([
  Type.Object({ agentId: Id }, { additionalProperties: false }),
  Type.Object({ groupId: Id }, { additionalProperties: false }),
]);
export type LiveReassignBody = Static<typeof LiveReassignBody>;

/** What a monitoring supervisor needs to follow a chat silently (then: subscribe on the socket). */
export const LiveMonitorReply = Type.Object({
  conversationId: Id,
  ticketId: Nullable(Id),
  assigneeId: Nullable(Id),
  lastSeq: Type.Integer({ minimum: 0 }),
});
export type LiveMonitorReply = Static<typeof LiveMonitorReply>;
