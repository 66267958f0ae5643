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

export interface GroupsTable {
  id: string;
  name: string;
  description: string | null;
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
}
