import { Type, type Static } from 'typebox';
import { Channel, Id, Nullable, TicketPriority, Timestamp } from './common.js';

export const AgentStatus = Type.Union([
  Type.Literal('available'),
  Type.Literal('idle'),
  Type.Literal('offline'),
  Type.Literal('rona'),
]);
export type AgentStatus = Static<typeof AgentStatus>;

export const Strategy = Type.Union([
  Type.Literal('most_spare_capacity'),
  Type.Literal('round_robin'),
  Type.Literal('least_open'),
]);

/** What the agent's offer popover shows (seed 004). */
export const Offer = Type.Object({
  id: Id,
  ticketId: Id,
  ticketNumber: Type.Integer(),
  conversationId: Id,
  channel: Channel,
  customer: Type.Object({ id: Id, name: Nullable(Type.String()), email: Nullable(Type.String()) }),
  queue: Type.Object({ id: Nullable(Id), name: Nullable(Type.String()) }),
  priority: TicketPriority,
  waitingSince: Timestamp,
  expiresAt: Timestamp,
});
export type Offer = Static<typeof Offer>;

export const AgentPresence = Type.Object({
  id: Id,
  name: Type.String(),
  email: Type.String(),
  role: Type.String(),
  status: AgentStatus,
  idleReasonId: Nullable(Id),
  statusSince: Timestamp,
  online: Type.Boolean(),
  groupIds: Type.Array(Id),
  skillIds: Type.Array(Id),
  capacity: Type.Object({ messaging: Type.Integer(), email: Type.Integer() }),
  /** The agent's own capacity per channel; null: the default of the routing settings. */
  capacityOverride: Type.Object({
    messaging: Nullable(Type.Integer()),
    email: Nullable(Type.Integer()),
  }),
  load: Type.Object({ messaging: Type.Integer(), email: Type.Integer() }),
});
export type AgentPresence = Static<typeof AgentPresence>;

export const SetStatusBody = Type.Object(
  { status: AgentStatus, idleReasonId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false },
);
export type SetStatusBody = Static<typeof SetStatusBody>;

export const CapacityBody = Type.Object(
  {
    messaging: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1000 }))),
    email: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1000 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const GroupRoutingBody = Type.Object(
  {
    strategy: Type.Optional(Strategy),
    onlyOnline: Type.Optional(Type.Boolean()),
    offerTimeoutS: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
    autoAccept: Type.Optional(Type.Boolean()),
    reassignAfterS: Type.Optional(Nullable(Type.Integer({ minimum: 30, maximum: 604800 }))),
    skillRelaxAfterS: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 604800 }))),
    overflowGroupId: Type.Optional(Nullable(Id)),
    overflowAfterS: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 604800 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type GroupRoutingBody = Static<typeof GroupRoutingBody>;

export const GroupRouting = Type.Object({
  groupId: Id,
  strategy: Strategy,
  onlyOnline: Type.Boolean(),
  offerTimeoutS: Type.Integer(),
  autoAccept: Type.Boolean(),
  reassignAfterS: Nullable(Type.Integer()),
  skillRelaxAfterS: Nullable(Type.Integer()),
  overflowGroupId: Nullable(Id),
  overflowAfterS: Nullable(Type.Integer()),
});

export const TransferBody = Type.Union([
  Type.Object({ groupId: Id }, { additionalProperties: false }),
  Type.Object({ agentId: Id }, { additionalProperties: false }),
]);
export type TransferBody = Static<typeof TransferBody>;

export const QueueEntry = Type.Object({
  ticketId: Id,
  ticketNumber: Type.Integer(),
  groupId: Nullable(Id),
  priority: TicketPriority,
  position: Type.Integer(),
  waitingSince: Timestamp,
  waitedSeconds: Type.Number(),
  state: Type.Union([Type.Literal('queued'), Type.Literal('offered')]),
  reason: Type.String({ description: 'Why it is still waiting' }),
});
export type QueueEntry = Static<typeof QueueEntry>;

export const NamedItem = Type.Object({ id: Id, name: Type.String() });
export const CreateNamedBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const RoutingSettingsBody = Type.Object(
  {
    messagingCapacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    emailCapacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    presenceGraceS: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const RoutingSettings = Type.Object({
  messagingCapacity: Type.Integer(),
  emailCapacity: Type.Integer(),
  presenceGraceS: Type.Integer(),
});
