import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from './common.js';

/** Invite a second agent into a chat (seed 004: Konferenz). */
export const ConferenceInviteBody = Type.Object({ agentId: Id }, { additionalProperties: false });
export type ConferenceInviteBody = Static<typeof ConferenceInviteBody>;

export const ParticipantState = Type.Union([
  Type.Literal('requested'),
  Type.Literal('joined'),
  Type.Literal('left'),
  Type.Literal('declined'),
]);
export type ParticipantState = Static<typeof ParticipantState>;

/** A staff member in a chat besides its assignee: requested → joined → left, or declined. */
export const Participant = Type.Object({
  conversationId: Id,
  userId: Id,
  name: Type.String(),
  role: Type.Literal('conference'),
  state: ParticipantState,
  invitedBy: Id,
  invitedAt: Timestamp,
  joinedAt: Nullable(Timestamp),
  leftAt: Nullable(Timestamp),
});
export type Participant = Static<typeof Participant>;
