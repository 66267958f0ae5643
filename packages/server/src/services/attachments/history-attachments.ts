import { attachmentsOfMessages, type Db, type HistoryEntry } from '@parlour/storage';
import { attachmentDto } from '../dto.js';

/** A ticket's history with each message's files in its data (`attachments`, maybe empty), in one query. */
export async function withAttachments(
  db: Db,
  history: readonly HistoryEntry[],
): Promise<HistoryEntry[]> {
  const messageIds = history.flatMap((h) =>
    h.type.startsWith('message.') && typeof h.data.messageId === 'string' ? [h.data.messageId] : [],
  );
  const files = await attachmentsOfMessages(db, messageIds);
  return history.map((h) => {
    const id = h.type.startsWith('message.') ? h.data.messageId : undefined;
    if (typeof id !== 'string') return h;
    return { ...h, data: { ...h.data, attachments: (files.get(id) ?? []).map(attachmentDto) } };
  });
}
