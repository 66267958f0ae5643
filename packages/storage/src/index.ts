export type { Database, Db, StorageKind } from './database.js';
export type { Schema } from './schema.js';
export { openDatabase } from './open-database.js';
export type { OpenDatabaseOptions } from './open-database.js';
export { migrate } from './migrate.js';
export { MIGRATIONS } from './migrations/index.js';
export type { Migration } from './migrations/index.js';
export { createPgliteDatabase } from './adapters/pglite.js';
export type { PgliteDatabase, PgliteOptions } from './adapters/pglite.js';
export { createPostgresDatabase } from './adapters/postgres.js';
export type { PostgresOptions } from './adapters/postgres.js';
export { toConversation, toMessage, toSession, toTicket } from './repos/map-rows.js';
export type { StoredTicket } from './repos/map-rows.js';
export {
  insertConversation,
  insertSession,
  listConversationsOfEndUser,
  loadConversationState,
  loadConversationStates,
  reserveSeqs,
  saveConversation,
  saveSession,
} from './repos/conversations.js';
export type { StoredConversationState } from './repos/conversations.js';
export {
  appendToFeeds,
  clientKey,
  findMessagesByClientIds,
  insertFeedEvents,
  insertMessages,
  listMessages,
  readFeed,
} from './repos/feed.js';
export type { Audience, FeedItem, StoredFeedEvent } from './repos/feed.js';
export {
  StaleTicketError,
  getTicket,
  insertTicket,
  insertManyTicketEvents,
  insertTicketEvents,
  listTickets,
  saveTicket,
  ticketHistory,
} from './repos/tickets.js';
export type { HistoryEntry, TicketCursor, TicketFilter } from './repos/tickets.js';
export {
  countUsers,
  getUser,
  getUserByEmail,
  insertUser,
  listUsers,
  updateUser,
} from './repos/users.js';
export type { StoredUser } from './repos/users.js';
export { getGroup, insertGroup, listGroups, setGroupMembers, updateGroup } from './repos/groups.js';
export type { StoredGroup } from './repos/groups.js';
export {
  getEndUser,
  getEndUsers,
  insertAnonymousEndUser,
  upsertVerifiedEndUser,
} from './repos/end-users.js';
export type { StoredEndUser } from './repos/end-users.js';
export {
  deleteAuthSession,
  deleteExpiredAuthSessions,
  findApiToken,
  findAuthSession,
  insertApiToken,
  insertAuthSession,
  listApiTokens,
  revokeApiToken,
  touchApiToken,
} from './repos/auth.js';
export { initSetting, readSetting, writeSetting } from './repos/settings.js';
export {
  addConnection,
  countConnections,
  ensureAgentStates,
  getAgentState,
  listAgentStates,
  listAgentStatusEvents,
  onlineUserIds,
  removeConnection,
  removeConnectionsOfProcess,
  setAgentCapacity,
  touchLastOffered,
  writeAgentStatus,
} from './repos/agents.js';
export type { StoredAgentState } from './repos/agents.js';
export {
  insertIdleReason,
  insertSkill,
  listIdleReasons,
  listSkills,
  setAgentSkills,
  skillsOfAgents,
  updateIdleReason,
} from './repos/skills.js';
export type { StoredIdleReason, StoredSkill } from './repos/skills.js';
export {
  agentLoads,
  closeOffer,
  exclusionsFor,
  getOffer,
  getTicketRouting,
  groupRoutingSettings,
  insertOffers,
  loadQueue,
  membersOfGroups,
  pendingOffers,
  setTicketRouting,
  updateGroupRouting,
} from './repos/routing-queue.js';
export type {
  AgentLoad,
  QueueRow,
  StoredGroupRouting,
  StoredOffer,
  TicketRoutingState,
} from './repos/routing-queue.js';
export { listParticipants, moveParticipant, requestParticipant } from './repos/participants.js';
export type { ParticipantState, StoredParticipant } from './repos/participants.js';
