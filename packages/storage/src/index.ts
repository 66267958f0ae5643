export type { Database, Db, PoolStats, StorageKind } from './database.js';
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
  endUserFootprint,
  eraseEndUserRows,
  findEndUsers,
  getEndUserSummary,
  listTicketlessEmailsTo,
} from './repos/privacy.js';
export type {
  EndUserFootprint,
  ErasedOffer,
  ErasedRows,
  StoredEndUserSummary,
} from './repos/privacy.js';
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
  deleteSkill,
  insertIdleReason,
  insertSkill,
  listIdleReasons,
  listSkills,
  renameSkill,
  setAgentSkills,
  skillReferences,
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
export {
  activeWorkflowTriggerTypes,
  deleteAutomation,
  deleteTrigger,
  firedAutomations,
  getAutomation,
  getTrigger,
  listAutomations,
  listTriggers,
  loadTicketRuleExtras,
  markReplies,
  nextRulePosition,
  openTicketsPage,
  recordAutomationFiring,
  reorderRules,
  saveAutomation,
  saveTrigger,
  setRequiredSkills,
} from './repos/rules.js';
export type { TicketRuleExtras } from './repos/rules.js';
export {
  answerCsatSurvey,
  findCsatSurveyByTokenHash,
  getCsatSurvey,
  insertCsatSurvey,
  listCsatSurveys,
} from './repos/csat.js';
export type { CsatRating, StoredCsatSurvey } from './repos/csat.js';
export {
  claimDueEmails,
  listDeadEmails,
  retryDeadEmail,
  insertOutboundEmail,
  listOutboundEmailsOfTicket,
  listUnsentEmails,
  markEmailSent,
  recordEmailFailure,
} from './repos/outbox.js';
export type { EmailThreading, OutboundEmailKind, StoredOutboundEmail } from './repos/outbox.js';
export {
  ensureEmailThread,
  findOrCreateEndUserByEmail,
  findTicketByReplyToken,
  getTicketForEmail,
  findTicketOfMessageIds,
  listThreadMessageIds,
  lockEmailMessageId,
  recordEmailMessageId,
} from './repos/email-threads.js';
export {
  getWebhookDelivery,
  insertWebhookDelivery,
  listWebhookDeliveries,
  updateWebhookDelivery,
} from './repos/webhooks.js';
export type {
  StoredWebhookDelivery,
  WebhookDeliveryStatus,
  WebhookRuleType,
} from './repos/webhooks.js';
export {
  deleteMacro,
  getMacro,
  insertMacro,
  isUniqueViolation,
  listMacros,
  macroTitleTaken,
  updateMacro,
} from './repos/agent-tools-macros.js';
export type { MacroFields, StoredMacro } from './repos/agent-tools-macros.js';
export {
  deleteResponse,
  getResponse,
  insertResponse,
  responseShortcutTaken,
  searchResponses,
  updateResponse,
} from './repos/agent-tools-responses.js';
export type { ResponseFields, StoredResponse } from './repos/agent-tools-responses.js';
export {
  deleteWrapUpReason,
  getWrapUpReasons,
  insertTicketWrapUps,
  insertWrapUpReason,
  listTicketWrapUps,
  listWrapUpReasons,
  updateWrapUpReason,
  wrapUpReasonInUse,
  wrapUpReasonNameTaken,
} from './repos/agent-tools-wrap-ups.js';
export type { StoredTicketWrapUp, StoredWrapUpReason } from './repos/agent-tools-wrap-ups.js';
export {
  deleteWorkflow,
  getWorkflow,
  getWorkflowRun,
  getWorkflowVersion,
  hasWorkflowRun,
  insertRunSteps,
  insertWorkflow,
  insertWorkflowRun,
  latestWorkflowVersion,
  listRunSteps,
  listRunsOfConversation,
  listRunsOfWorkflow,
  listWorkflowVersions,
  listWorkflows,
  lockRoundRobinCursor,
  moveRoundRobinCursor,
  publishWorkflowVersion,
  publishedWorkflowsFor,
  unfinishedRunIds,
  updateWorkflow,
  updateWorkflowRun,
} from './repos/workflows.js';
export type {
  NewRunStep,
  PublishedWorkflow,
  StoredRunStep,
  StoredWorkflow,
  StoredWorkflowRun,
  StoredWorkflowVersion,
  WorkflowRunState,
  WorkflowStepOutcome,
} from './repos/workflows.js';
export {
  attachmentsOfMessages,
  deleteAttachments,
  getAttachment,
  getAttachments,
  insertAttachment,
  linkAttachments,
  listAttachmentsOfConversation,
  listAttachmentsOfEndUser,
} from './repos/attachments.js';
export type {
  AttachmentUploaderType,
  AttachmentWithMessageKind,
  StoredAttachment,
} from './repos/attachments.js';
export { insertAuditEntry, listAuditEntries } from './repos/audit-log.js';
export {
  customerMessagesAfter,
  deleteBotArticle,
  getBotArticle,
  getBotFlow,
  getBotState,
  insertBotArticle,
  listBotArticles,
  saveBotFlow,
  saveBotState,
  setCollectedIdentity,
  updateBotArticle,
} from './repos/bot.js';
export type { StoredBotArticle, StoredBotFlow, StoredBotState } from './repos/bot.js';
export type { AuditLogFilter, NewAuditEntry, StoredAuditEntry } from './repos/audit-log.js';
export { markRead, readMarks, unreadForUser } from './repos/reads.js';
export type { Reader, ReaderType, StoredUnread } from './repos/reads.js';
export {
  claimApiSignature,
  deleteApiInbox,
  getApiContactOfEndUser,
  getApiDelivery,
  getApiInbox,
  getApiReceipt,
  insertApiDelivery,
  insertApiInbox,
  insertApiReceipt,
  listApiDeliveries,
  listApiInboxes,
  lockOrCreateApiContact,
  purgeApiSignatures,
  setApiContactConversation,
  touchApiContact,
  updateApiDelivery,
  updateApiInbox,
} from './repos/api-channel.js';
export type {
  ApiDeliveryStatus,
  ApiInboxTemplate,
  StoredApiContact,
  StoredApiDelivery,
  StoredApiInbox,
  StoredApiReceipt,
} from './repos/api-channel.js';
export {
  businessHoursNameTaken,
  defaultBusinessHours,
  deleteBusinessHours,
  getBusinessHours,
  insertBusinessHours,
  listBusinessHours,
  setDefaultBusinessHours,
  updateBusinessHours,
} from './repos/business-hours.js';
export type { BusinessHoursInput, StoredBusinessHours } from './repos/business-hours.js';
export {
  aggregateAgentStatusTime,
  aggregateFacts,
  aggregateOccupancy,
  clearDirtyTickets,
  dirtyTickets,
  groupIdsOfMember,
  markAllReportTicketsDirty,
  replaceReportFacts,
  reportBuckets,
  reportHistories,
  reportNames,
} from './repos/reports.js';
export type {
  AgentTimeQuery,
  AgentTimeRow,
  AggregateRow,
  DirtyTicket,
  FactDimension,
  FactInterval,
  FactQuery,
  FactRow,
  OccupancyRow,
  ReportHistory,
} from './repos/reports.js';
