/**
 * Read state: how far each reader (the conversation's end user, or a staff member) has read a
 * conversation's feed. One row per reader; the seq only grows. Rows go with their conversation.
 */
export const reads = `
CREATE TABLE conversation_reads (
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  reader_type text NOT NULL CHECK (reader_type IN ('end_user', 'user')),
  reader_id uuid NOT NULL,
  seq integer NOT NULL CHECK (seq >= 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, reader_type, reader_id)
);
`;
