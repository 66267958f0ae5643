import { DomainError, type Message } from '@parlour/core';
import type {
  CsatSurvey,
  EndUserExport,
  ExportedAttachment,
  ExportedEmail,
  FeedEntry,
} from '@parlour/protocol';
import {
  endUserFootprint,
  getEndUserSummary,
  getTicket,
  listAttachmentsOfEndUser,
  listCsatSurveys,
  listMessages,
  listOutboundEmailsOfTicket,
  listTicketWrapUps,
  listTicketlessEmailsTo,
  listWebhookDeliveries,
  loadConversationStates,
  readFeed,
  ticketHistory,
  type Db,
  type StoredAttachment,
  type StoredCsatSurvey,
  type StoredOutboundEmail,
} from '@parlour/storage';
import type { FileStorage } from '../../files/file-storage.js';
import type { ServiceContext } from '../context.js';
import { conversationDto, feedEntryOf, historyDto, messageDto, ticketDto } from '../dto.js';
import { deliveryDto } from '../outbound/webhook-service.js';

const PAGE = 500;
/** A ticket's webhook deliveries: rules fire a few per ticket, so this is "all" in practice. */
const DELIVERIES_MAX = 10_000;

/**
 * Everything kept about one end user, read in one repeatable-read transaction so the document is
 * one consistent snapshot (a message arriving meanwhile is in it entirely or not at all).
 */
export async function exportEndUser(
  ctx: ServiceContext,
  files: FileStorage,
  endUserId: string,
): Promise<EndUserExport> {
  const now = ctx.clock.now();
  return ctx.database.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const profile = await getEndUserSummary(trx, endUserId);
      if (!profile) throw new DomainError('not-found', 'No such end user', 'endUserId');
      const footprint = await endUserFootprint(trx, endUserId);
      const states = await loadConversationStates(trx, footprint.conversationIds);
      const attachments = await listAttachmentsOfEndUser(trx, endUserId);

      const conversations: EndUserExport['conversations'] = [];
      const internalNotes: Message[] = [];
      for (const id of footprint.conversationIds) {
        const state = states.get(id);
        if (!state) continue;
        conversations.push({
          conversation: conversationDto(state.conversation, state.session, state.lastSeq),
          feed: await publicFeed(trx, id),
          attachments: await Promise.all(
            attachments.filter((a) => a.conversationId === id).map((a) => attachmentOf(a, files)),
          ),
        });
        internalNotes.push(...(await notesOf(trx, id)));
      }

      const tickets: EndUserExport['tickets'] = [];
      const emails: StoredOutboundEmail[] = [];
      for (const id of footprint.ticketIds) {
        const ticket = await getTicket(trx, id);
        if (!ticket) continue;
        const history = await ticketHistory(trx, id);
        tickets.push({
          ticket: ticketDto(ticket),
          history: history.filter((h) => h.type !== 'message.internal_note').map(historyDto),
          wrapUps: (await listTicketWrapUps(trx, id)).map((w) => ({
            reasonId: w.reasonId,
            name: w.name,
            createdBy: w.createdBy,
            createdAt: w.createdAt.toISOString(),
          })),
          satisfaction: (await listCsatSurveys(trx, id)).map((s) => surveyOf(s, now)),
          webhookDeliveries: (
            await listWebhookDeliveries(trx, { ticketId: id, limit: DELIVERIES_MAX })
          )
            .reverse()
            .map(deliveryDto),
        });
        emails.push(...(await listOutboundEmailsOfTicket(trx, id)));
      }
      tickets.sort((a, b) => a.ticket.createdAt.localeCompare(b.ticket.createdAt));
      if (profile.email) emails.push(...(await listTicketlessEmailsTo(trx, profile.email)));

      return {
        format: 'parlour.end-user-export.v1' as const,
        exportedAt: now.toISOString(),
        profile: {
          id: profile.id,
          externalId: profile.externalId,
          email: profile.email,
          name: profile.name,
          verified: profile.verified,
          createdAt: profile.createdAt.toISOString(),
          updatedAt: profile.updatedAt.toISOString(),
        },
        conversations,
        tickets,
        internalNotes: internalNotes
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
          .map(messageDto),
        emails: emails.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map(emailOf),
      };
    });
}

/** What the person's widget showed: public messages and the events meant for everyone. */
async function publicFeed(trx: Db, conversationId: string): Promise<FeedEntry[]> {
  const entries: FeedEntry[] = [];
  for (let after = 0; ;) {
    const page = await readFeed(trx, conversationId, after, 'all', PAGE);
    entries.push(...page.map((item) => feedEntryOf(conversationId, item)));
    if (page.length < PAGE) return entries;
    after = page[page.length - 1]!.seq;
  }
}

async function notesOf(trx: Db, conversationId: string): Promise<Message[]> {
  const notes: Message[] = [];
  for (let afterSeq = 0; ;) {
    const page = await listMessages(trx, conversationId, { afterSeq, limit: PAGE });
    notes.push(...page.filter((m) => m.kind === 'internal'));
    if (page.length < PAGE) return notes;
    afterSeq = page[page.length - 1]!.seq;
  }
}

function surveyOf(s: StoredCsatSurvey, now: Date): CsatSurvey {
  return {
    id: s.id,
    ticketId: s.ticketId,
    via: s.via,
    state: s.answeredAt ? 'answered' : s.expiresAt <= now ? 'expired' : 'open',
    sentAt: s.sentAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    rating: s.rating,
    comment: s.comment,
    answeredAt: s.answeredAt?.toISOString() ?? null,
  };
}

async function attachmentOf(a: StoredAttachment, files: FileStorage): Promise<ExportedAttachment> {
  const bytes = await files.get(a.storageKey);
  return {
    id: a.id,
    conversationId: a.conversationId,
    messageId: a.messageId,
    fileName: a.fileName,
    contentType: a.contentType,
    sizeBytes: a.sizeBytes,
    sha256: a.sha256,
    createdAt: a.createdAt.toISOString(),
    contentBase64: bytes ? Buffer.from(bytes).toString('base64') : null,
  };
}

function emailOf(e: StoredOutboundEmail): ExportedEmail {
  return {
    id: e.id,
    ticketId: e.ticketId,
    to: e.to,
    subject: e.subject,
    text: e.text,
    kind: e.kind,
    createdAt: e.createdAt.toISOString(),
    sentAt: e.sentAt?.toISOString() ?? null,
  };
}
