import type { ColumnType, Generated } from 'kysely';

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
}
