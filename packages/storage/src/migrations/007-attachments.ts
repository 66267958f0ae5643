/**
 * Attachments (seed 004): the row of each accepted file. The bytes live behind the file-storage
 * port under a server-generated key; the row keeps the detected type and the sanitized name. The
 * conversation's end user is kept on the row so erasing an end user finds their files, sent or not.
 */
export const attachments = `
CREATE TABLE attachments (
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id),
  end_user_id uuid NOT NULL REFERENCES end_users (id),
  message_id uuid REFERENCES messages (id),
  uploader_type text NOT NULL CHECK (uploader_type IN ('user', 'end_user', 'bot', 'system')),
  uploader_id uuid,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  storage_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);
CREATE INDEX attachments_conversation_idx ON attachments (conversation_id, id);
CREATE INDEX attachments_message_idx ON attachments (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX attachments_end_user_idx ON attachments (end_user_id);
`;
