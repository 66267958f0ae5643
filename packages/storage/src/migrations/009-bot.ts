/**
 * The conversation bot: the admin's flow (one row, its JSON and a version that grows with each
 * save), the articles it answers from, where each conversation stands in the flow, and the quick
 * replies a bot message offers.
 */
export const bot = `
CREATE TABLE bot_flows (
  id smallint PRIMARY KEY CHECK (id = 1),
  flow jsonb NOT NULL,
  version integer NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid
);

CREATE TABLE bot_articles (
  id uuid PRIMARY KEY,
  title text NOT NULL,
  keywords text[] NOT NULL DEFAULT '{}',
  body text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Where a conversation stands in the flow; handled_seq: the last customer message answered.
CREATE TABLE bot_conversation_states (
  conversation_id uuid PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
  state jsonb NOT NULL,
  handled_seq integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL
);

ALTER TABLE messages ADD COLUMN quick_replies jsonb;
`;
