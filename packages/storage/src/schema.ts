import type { ColumnType, Generated } from 'kysely';
import type {
  ApiContactsTable,
  ApiDeliveriesTable,
  ApiInboundReceiptsTable,
  ApiInboundSignaturesTable,
  ApiInboxesTable,
} from './api-channel-tables.js';
import type {
  BusinessHoursTable,
  ReportDirtyTicketsTable,
  ReportFactsTable,
} from './report-tables.js';

/** Kysely's view of the tables in migrations/. Column names stay snake_case as in SQL. */
type Timestamp = ColumnType<Date, Date, Date>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: string;
  role: 'admin' | 'supervisor' | 'agent';
  email: string;
  name: string;
  password_hash: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type StrategyColumn = 'most_spare_capacity' | 'round_robin' | 'least_open';

export interface GroupsTable {
  id: string;
  name: string;
  description: string | null;
  strategy: Generated<StrategyColumn>;
  only_online: Generated<boolean>;
  offer_timeout_s: Generated<number>;
  auto_accept: Generated<boolean>;
  reassign_after_s: number | null;
  skill_relax_after_s: number | null;
  overflow_group_id: string | null;
  overflow_after_s: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
}

export interface AuthSessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface EndUsersTable {
  id: string;
  external_id: string | null;
  email: string | null;
  name: string | null;
  verified: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ConversationsTable {
  id: string;
  end_user_id: string;
  channel: 'messaging' | 'email' | 'api';
  state: 'open' | 'closed';
  ticket_id: string | null;
  last_seq: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface SessionsTable {
  id: string;
  conversation_id: string;
  state: 'active' | 'ended';
  end_reason: 'ended_by_agent' | 'customer_left' | 'ticket_closed' | null;
  started_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface TicketsTable {
  id: string;
  number: Generated<number>;
  conversation_id: string;
  requester_id: string;
  channel: 'messaging' | 'email' | 'api';
  status: 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  group_id: string | null;
  assignee_id: string | null;
  tags: ColumnType<string[], string[], string[]>;
  subject: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  solved_at: Timestamp | null;
  closed_at: Timestamp | null;
  version: number;
  required_skills: Generated<string[]>;
  routing: Generated<'none' | 'queued' | 'offered' | 'assigned'>;
  eligible_at: Timestamp | null;
  direct_agent_id: string | null;
  skills_relaxed: Generated<boolean>;
  assigned_at: Timestamp | null;
  first_reply_at: Timestamp | null;
  priority_rank: ColumnType<number, never, never>;
  status_changed_at: Timestamp | null;
  last_agent_reply_at: Timestamp | null;
  last_customer_message_at: Timestamp | null;
}

export interface TriggersTable {
  id: string;
  name: string;
  category: string | null;
  scope: 'ticket' | 'messaging';
  active: boolean;
  position: number;
  conditions: Json;
  actions: Json;
  preset: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AutomationsTable {
  id: string;
  name: string;
  active: boolean;
  position: number;
  conditions: Json;
  actions: Json;
  once_per_ticket: boolean;
  preset: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AutomationFiringsTable {
  ticket_id: string;
  automation_id: string;
  fired_at: Timestamp;
}

export interface TicketEventsTable {
  id: Generated<number>;
  ticket_id: string;
  type: string;
  actor_type: string;
  actor_id: string | null;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  ticket_id: string | null;
  kind: 'public' | 'internal';
  author_type: 'user' | 'end_user' | 'bot' | 'system';
  author_id: string | null;
  channel: 'messaging' | 'email' | 'api';
  body: string;
  client_message_id: string | null;
  created_at: Timestamp;
  /** A bot message's buttons ({label, value}); null on every other message. */
  quick_replies: ColumnType<
    { label: string; value: string }[] | null,
    string | null,
    string | null
  >;
}

export interface ConversationEventsTable {
  conversation_id: string;
  seq: number;
  type: string;
  audience: 'all' | 'staff';
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface TimersTable {
  id: string;
  kind: string;
  key: string | null;
  payload: Json<Record<string, unknown>>;
  due_at: Timestamp;
  created_at: Timestamp;
  attempts: Generated<number>;
  last_error: string | null;
}

export type AgentStatusColumn = 'available' | 'idle' | 'offline' | 'rona';

export interface SkillsTable {
  id: string;
  name: string;
  created_at: Timestamp;
}

export interface AgentSkillsTable {
  user_id: string;
  skill_id: string;
}

export interface IdleReasonsTable {
  id: string;
  name: string;
  active: Generated<boolean>;
  created_at: Timestamp;
}

export interface AgentStatesTable {
  user_id: string;
  status: Generated<AgentStatusColumn>;
  idle_reason_id: string | null;
  status_since: Timestamp;
  last_offered_at: Timestamp | null;
  messaging_capacity: number | null;
  email_capacity: number | null;
}

export interface AgentStatusEventsTable {
  id: Generated<number>;
  user_id: string;
  from_status: AgentStatusColumn;
  to_status: AgentStatusColumn;
  idle_reason_id: string | null;
  cause: string;
  created_at: Timestamp;
}

export interface AgentConnectionsTable {
  id: string;
  user_id: string;
  process_id: string;
  connected_at: Timestamp;
}

export interface OffersTable {
  id: string;
  ticket_id: string;
  agent_id: string;
  status: 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn';
  channel: 'messaging' | 'email';
  created_at: Timestamp;
  expires_at: Timestamp;
  responded_at: Timestamp | null;
}

export interface ConversationParticipantsTable {
  conversation_id: string;
  user_id: string;
  role: 'conference';
  state: 'requested' | 'joined' | 'left' | 'declined';
  invited_by: string;
  created_at: Timestamp;
  joined_at: Timestamp | null;
  left_at: Timestamp | null;
}

export interface MacrosTable {
  id: string;
  title: string;
  body: string | null;
  body_kind: Generated<'public' | 'internal'>;
  actions: Json;
  owner_id: string | null;
  active: Generated<boolean>;
  position: Generated<number>;
  preset: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PredefinedResponsesTable {
  id: string;
  title: string;
  shortcut: string | null;
  body: string;
  group_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WrapUpReasonsTable {
  id: string;
  name: string;
  active: Generated<boolean>;
  position: Generated<number>;
  created_at: Timestamp;
}

export interface TicketWrapUpsTable {
  ticket_id: string;
  reason_id: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface CsatSurveysTable {
  id: string;
  ticket_id: string;
  conversation_id: string;
  token_hash: string;
  via: 'messaging' | 'email';
  sent_at: Timestamp;
  expires_at: Timestamp;
  rating: 'good' | 'bad' | null;
  comment: string | null;
  answered_at: Timestamp | null;
}

export interface OutboundEmailsTable {
  id: string;
  ticket_id: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  kind: 'reply' | 'csat' | 'notification';
  created_at: Timestamp;
  sent_at: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
  status: Generated<'pending' | 'sent' | 'dead'>;
  next_attempt_at: Timestamp;
  message_id: string | null;
  in_reply_to: string | null;
  references_header: string | null;
  reply_to: string | null;
}

export interface EmailThreadsTable {
  ticket_id: string;
  reply_token: string;
  created_at: Timestamp;
}

export interface EmailMessageIdsTable {
  message_id: string;
  ticket_id: string;
  direction: 'in' | 'out';
  created_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  ticket_id: string | null;
  url: string;
  payload: Json<unknown>;
  rule_type: 'trigger' | 'automation' | 'workflow' | 'macro';
  rule_id: string;
  rule_name: string;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  last_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkflowsTable {
  id: string;
  name: string;
  active: Generated<boolean>;
  draft: Json;
  published_version: number | null;
  trigger_type: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkflowVersionsTable {
  workflow_id: string;
  version: number;
  definition: Json;
  published_at: Timestamp;
  published_by: string | null;
}

export type WorkflowRunState = 'running' | 'waiting' | 'finished' | 'failed' | 'cancelled';

export interface WorkflowRunsTable {
  id: string;
  workflow_id: string;
  version: number;
  conversation_id: string;
  ticket_id: string | null;
  trigger_type: string;
  state: WorkflowRunState;
  current_step: string | null;
  context: Json<Record<string, unknown>>;
  started_by: string | null;
  started_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}

export type WorkflowStepOutcome = 'done' | 'waiting' | 'branch' | 'skipped' | 'failed';

export interface WorkflowRunStepsTable {
  id: Generated<number>;
  run_id: string;
  step_id: string;
  step_type: string;
  outcome: WorkflowStepOutcome;
  detail: Json<Record<string, unknown>>;
  at: Timestamp;
}

export interface WorkflowCursorsTable {
  workflow_id: string;
  step_id: string;
  last_agent_id: string | null;
}

export interface AttachmentsTable {
  id: string;
  conversation_id: string;
  end_user_id: string;
  message_id: string | null;
  uploader_type: 'user' | 'end_user' | 'bot' | 'system';
  uploader_id: string | null;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_type: 'user' | 'end_user';
  actor_id: string;
  actor_role: string | null;
  action: string;
  resource: string | null;
  changes: ColumnType<unknown, string | null, string | null>;
  ip: string | null;
  user_agent: string | null;
  status: number;
}

export interface ConversationReadsTable {
  conversation_id: string;
  reader_type: 'end_user' | 'user';
  reader_id: string;
  seq: number;
  updated_at: Timestamp;
}

export interface BotFlowsTable {
  id: number;
  flow: Json<Record<string, unknown>>;
  version: number;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface BotArticlesTable {
  id: string;
  title: string;
  keywords: string[];
  body: string;
  active: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BotConversationStatesTable {
  conversation_id: string;
  state: Json<Record<string, unknown>>;
  handled_seq: number;
  updated_at: Timestamp;
}

export interface SchemaMigrationsTable {
  version: string;
  applied_at: Timestamp;
}

export interface Schema {
  settings: SettingsTable;
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  auth_sessions: AuthSessionsTable;
  api_tokens: ApiTokensTable;
  end_users: EndUsersTable;
  conversations: ConversationsTable;
  sessions: SessionsTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  messages: MessagesTable;
  conversation_events: ConversationEventsTable;
  timers: TimersTable;
  schema_migrations: SchemaMigrationsTable;
  skills: SkillsTable;
  agent_skills: AgentSkillsTable;
  idle_reasons: IdleReasonsTable;
  agent_states: AgentStatesTable;
  agent_status_events: AgentStatusEventsTable;
  agent_connections: AgentConnectionsTable;
  offers: OffersTable;
  conversation_participants: ConversationParticipantsTable;
  triggers: TriggersTable;
  automations: AutomationsTable;
  automation_firings: AutomationFiringsTable;
  macros: MacrosTable;
  predefined_responses: PredefinedResponsesTable;
  wrap_up_reasons: WrapUpReasonsTable;
  ticket_wrap_ups: TicketWrapUpsTable;
  csat_surveys: CsatSurveysTable;
  outbound_emails: OutboundEmailsTable;
  email_threads: EmailThreadsTable;
  email_message_ids: EmailMessageIdsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  api_inboxes: ApiInboxesTable;
  api_contacts: ApiContactsTable;
  api_inbound_receipts: ApiInboundReceiptsTable;
  api_inbound_signatures: ApiInboundSignaturesTable;
  api_deliveries: ApiDeliveriesTable;
  business_hours: BusinessHoursTable;
  report_facts: ReportFactsTable;
  report_dirty_tickets: ReportDirtyTicketsTable;
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  workflow_runs: WorkflowRunsTable;
  workflow_run_steps: WorkflowRunStepsTable;
  workflow_cursors: WorkflowCursorsTable;
  audit_log: AuditLogTable;
  bot_flows: BotFlowsTable;
  bot_articles: BotArticlesTable;
  bot_conversation_states: BotConversationStatesTable;
  conversation_reads: ConversationReadsTable;
  attachments: AttachmentsTable;
}
