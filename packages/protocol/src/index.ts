export { PROTOCOL_VERSION } from './version.js';
export {
  ActorType,
  Channel,
  ErrorBody,
  Id,
  MessageKind,
  Nullable,
  Role,
  SessionEndReason,
  TicketPriority,
  TicketStatus,
  Timestamp,
} from './common.js';
export {
  Actor,
  Conversation,
  EndUser,
  Group,
  Message,
  Page,
  Session,
  Ticket,
  TicketEvent,
  User,
} from './resources.js';
export { FeedEntry, FeedEvent } from './feed.js';
export { CLIENT_FRAME_TYPES, ClientFrame, Principal, ServerFrame } from './frames.js';
export type { ClientFrameType } from './frames.js';
export {
  ApiTokenInfo,
  CreateApiTokenBody,
  CreateGroupBody,
  CreatedApiToken,
  CreateUserBody,
  EndSessionBody,
  HandoffBody,
  LoginBody,
  LoginReply,
  PostMessageBody,
  Settings,
  StartConversationBody,
  TicketListQuery,
  UpdateGroupBody,
  UpdateSettingsBody,
  UpdateTicketBody,
  UpdateUserBody,
  WidgetSessionBody,
  WidgetSessionReply,
} from './http.js';
export {
  AgentPresence,
  AgentStatus,
  CapacityBody,
  CreateNamedBody,
  GroupRouting,
  GroupRoutingBody,
  NamedItem,
  Offer,
  QueueEntry,
  RoutingSettings,
  RoutingSettingsBody,
  SetStatusBody,
  Strategy,
  TransferBody,
} from './routing.js';
export { ConferenceInviteBody, Participant, ParticipantState } from './conference.js';
