import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from './common.js';

/**
 * A file sent in a conversation. `contentType` is the type detected from the bytes (never the one
 * the client declared); `fileName` is the sanitized display name; `url` downloads it (same access
 * as the conversation).
 */
export const Attachment = Type.Object({
  id: Id,
  conversationId: Id,
  messageId: Nullable(Id),
  fileName: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer({ minimum: 1 }),
  createdAt: Timestamp,
  url: Type.String(),
});
export type Attachment = Static<typeof Attachment>;

/** Attachments uploaded earlier, sent with a message (at most ten). */
export const AttachmentIds = Type.Array(Id, { maxItems: 10 });
export type AttachmentIds = Static<typeof AttachmentIds>;
