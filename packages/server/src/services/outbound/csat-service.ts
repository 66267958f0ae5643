import { createHash, randomBytes } from 'node:crypto';
import { DomainError, type Actor, type TicketEvent } from '@parlour/core';
import type {
  CsatRating,
  CsatSurvey,
  CsatSurveyState,
  CsatSurveyView,
  TicketSatisfaction,
} from '@parlour/protocol';
import {
  answerCsatSurvey,
  findCsatSurveyByTokenHash,
  getCsatSurvey,
  getTicket,
  insertCsatSurvey,
  insertTicketEvents,
  listCsatSurveys,
  loadConversationState,
  type Db,
  type StoredCsatSurvey,
} from '@parlour/storage';
import type { Principal } from '../../principal.js';
import { assertVisible } from '../conversation-service.js';
import type { ServiceContext } from '../context.js';
import { appendFeedEvents } from '../conversation-feed.js';
import { ticketDto } from '../dto.js';
import { publishFeed, type FeedSignal } from '../feed-publisher.js';
import { ticketEventDto } from '../message-writer.js';
import type { SettingsService } from '../settings-service.js';
import { isEmailAddress, type EmailOutbox } from './email-outbox.js';

export const CSAT_QUESTION = 'How would you rate the support you received?';
const COMMENT_MAX = 2_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CsatSendInput {
  readonly ticketId: string;
  readonly conversationId: string;
  /** The conversation's last seq as the caller (holding its lock) knows it. */
  readonly lastSeq: number;
  readonly at: Date;
  /** Who sends it: the rule's actor (system) or a person. */
  readonly actor: Actor;
}

export type CsatSendOutcome =
  | { readonly status: 'sent'; readonly surveyId: string; readonly via: 'messaging' | 'email' }
  /** Once per ticket: a survey is waiting for its answer, or the ticket has one. Nothing written. */
  | { readonly status: 'skipped'; readonly reason: string }
  /** Nobody to ask: no active messaging session and no known email. Nothing written. */
  | { readonly status: 'failed'; readonly reason: string };

export interface CsatSendResult {
  /** Feed entries to publish after commit (the widget's `csat.requested`). */
  readonly signals: FeedSignal[];
  readonly lastSeq: number;
  /** The ticket events written (`csat.sent`), e.g. for a `ticket.updated` feed entry. */
  readonly events: TicketEvent[];
  readonly outcome: CsatSendOutcome;
  /** Why no survey could be sent (for a `rule.action_failed` event); null when sent or skipped. */
  readonly failure: string | null;
}

/**
 * Customer satisfaction surveys, once per ticket. A survey is asked in the widget while the
 * messaging session is active, otherwise by email with a link (`<publicUrl>/csat/<token>`); the
 * link's token is the only credential and is stored hashed. The answer (good or bad, a comment)
 * is kept on the survey and written as a `csat.answered` ticket event; a second answer, or one
 * after the survey expired, is refused.
 */
export class CsatService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly settings: SettingsService,
    private readonly outbox: EmailOutbox,
    private readonly publicUrl: string,
  ) {}

  /**
   * Sends a survey inside the caller's transaction (a trigger's or automation's). The caller holds
   * the conversation's lock; taking it again here changes nothing and keeps direct callers honest.
   */
  async send(trx: Db, input: CsatSendInput): Promise<CsatSendResult> {
    const nothing = (outcome: CsatSendOutcome): CsatSendResult => ({
      signals: [],
      lastSeq: input.lastSeq,
      events: [],
      outcome,
      failure: outcome.status === 'failed' ? outcome.reason : null,
    });
    const state = await loadConversationState(trx, input.conversationId, { lock: true });
    const ticket = state?.ticket;
    if (!state || !ticket || ticket.id !== input.ticketId)
      throw new DomainError('ticket/not-found', 'No such ticket in that conversation', 'ticketId');
    const surveys = await listCsatSurveys(trx, ticket.id);
    if (surveys.some((s) => s.answeredAt !== null))
      return nothing({ status: 'skipped', reason: 'The customer already rated this ticket' });
    if (surveys.some((s) => s.expiresAt > input.at))
      return nothing({ status: 'skipped', reason: 'A survey is already waiting for an answer' });

    const messaging =
      state.conversation.channel === 'messaging' &&
      state.conversation.state === 'open' &&
      state.session?.state === 'active';
    const email =
      state.requesterEmail && isEmailAddress(state.requesterEmail) ? state.requesterEmail : null;
    if (!messaging && !email) {
      return nothing({
        status: 'failed',
        reason: 'The messaging session is not active and the requester has no email address',
      });
    }
    const { csatExpiryDays } = await this.settings.current(trx);
    const token = randomBytes(32).toString('base64url');
    const survey = {
      id: this.ctx.newId(),
      ticketId: ticket.id,
      conversationId: state.conversation.id,
      tokenHash: hashToken(token),
      via: messaging ? ('messaging' as const) : ('email' as const),
      sentAt: input.at,
      expiresAt: new Date(input.at.getTime() + csatExpiryDays * DAY_MS),
    };
    await insertCsatSurvey(trx, survey);
    const events: TicketEvent[] = [
      { type: 'csat.sent', surveyId: survey.id, via: survey.via, actor: input.actor, at: input.at },
    ];
    await insertTicketEvents(trx, ticket.id, events);
    let signals: FeedSignal[] = [];
    if (messaging) {
      signals = await appendFeedEvents(
        trx,
        state.conversation.id,
        input.lastSeq,
        [
          {
            event: { type: 'csat.requested', surveyId: survey.id, question: CSAT_QUESTION },
            audience: 'all',
          },
        ],
        input.at,
      );
    } else if (email) {
      await this.outbox.enqueue(trx, {
        ticketId: ticket.id,
        to: email,
        subject: `How did we do? (ticket #${ticket.number})`,
        text: [
          'Hello,',
          '',
          `${CSAT_QUESTION} (ticket #${ticket.number})`,
          '',
          `Tell us with one click: ${this.surveyLink(token)}`,
          `The link works for ${csatExpiryDays} ${csatExpiryDays === 1 ? 'day' : 'days'}.`,
          '',
          'Thank you!',
        ].join('\n'),
        kind: 'csat',
        at: input.at,
      });
    }
    return {
      signals,
      lastSeq: input.lastSeq + signals.length,
      events,
      outcome: { status: 'sent', surveyId: survey.id, via: survey.via },
      failure: null,
    };
  }

  /** The page behind an emailed link. */
  surveyLink(token: string): string {
    return `${this.publicUrl}/csat/${token}`;
  }

  /** What the holder of a link sees: the question, the ticket's number, answered or expired. */
  async view(token: string): Promise<CsatSurveyView> {
    const db = this.ctx.database.db;
    const survey = await this.surveyOfToken(db, token);
    const ticket = await getTicket(db, survey.ticketId);
    if (!ticket) throw unknownSurvey();
    return viewOf(survey, ticket.number, this.ctx.clock.now());
  }

  /** An answer through the emailed link: the token is the credential. */
  async answerByToken(
    token: string,
    answer: { rating: CsatRating; comment?: string | undefined },
  ): Promise<CsatSurveyView> {
    const survey = await this.surveyOfToken(this.ctx.database.db, token);
    return this.answer(survey.id, answer, null);
  }

  /** An answer in the widget, by the end user whose conversation asked it. */
  async answerInWidget(
    principal: Principal & { kind: 'end_user' },
    conversationId: string,
    answer: { surveyId: string; rating: CsatRating; comment?: string | undefined },
  ): Promise<CsatSurveyView> {
    return this.answer(answer.surveyId, answer, { principal, conversationId });
  }

  /** A ticket's satisfaction (its answered survey) and every survey it was sent. */
  async ofTicket(ticketId: string): Promise<TicketSatisfaction> {
    const db = this.ctx.database.db;
    if (!(await getTicket(db, ticketId)))
      throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
    const now = this.ctx.clock.now();
    const surveys = await listCsatSurveys(db, ticketId);
    const answered = surveys.find((s) => s.answeredAt !== null);
    return {
      satisfaction:
        answered && answered.rating && answered.answeredAt
          ? {
              rating: answered.rating,
              comment: answered.comment,
              answeredAt: answered.answeredAt.toISOString(),
            }
          : null,
      surveys: surveys.map((s) => surveyDto(s, now)),
    };
  }

  private async answer(
    surveyId: string,
    answer: { rating: CsatRating; comment?: string | undefined },
    widget: { principal: Principal & { kind: 'end_user' }; conversationId: string } | null,
  ): Promise<CsatSurveyView> {
    const comment = normalizeComment(answer.comment);
    const at = this.ctx.clock.now();
    const { view, signals } = await this.ctx.database.db.transaction().execute(async (trx) => {
      const found = await getCsatSurvey(trx, surveyId);
      if (widget) {
        const owned = await loadConversationState(trx, widget.conversationId);
        assertVisible(widget.principal, owned);
        if (!found || found.conversationId !== widget.conversationId)
          throw new DomainError('not-found', 'No such survey in this conversation', 'surveyId');
      }
      if (!found) throw unknownSurvey();
      // The conversation's lock serializes this answer with every other writer of its ticket.
      const state = await loadConversationState(trx, found.conversationId, { lock: true });
      const ticket = state?.ticket;
      const survey = await getCsatSurvey(trx, surveyId);
      if (!state || !ticket || !survey || ticket.id !== survey.ticketId) throw unknownSurvey();
      const others = await listCsatSurveys(trx, ticket.id);
      if (others.some((s) => s.answeredAt !== null))
        throw new DomainError('csat/answered', 'This ticket was rated already', 'rating');
      if (survey.expiresAt <= at)
        throw new DomainError('csat/expired', 'This survey has expired', 'token');
      if (!(await answerCsatSurvey(trx, survey.id, { rating: answer.rating, comment, at })))
        throw new DomainError('csat/answered', 'This ticket was rated already', 'rating');
      const actor: Actor = { type: 'end_user', id: ticket.requesterId };
      const events: TicketEvent[] = [
        { type: 'csat.answered', surveyId: survey.id, rating: answer.rating, comment, actor, at },
      ];
      await insertTicketEvents(trx, ticket.id, events);
      const signals = await appendFeedEvents(
        trx,
        state.conversation.id,
        state.lastSeq,
        [
          {
            event: {
              type: 'ticket.updated',
              ticket: ticketDto(ticket),
              changes: events.map((e, i) => ticketEventDto(ticket.id, e, i)),
            },
            audience: 'staff',
          },
        ],
        at,
      );
      const view = viewOf(
        { ...survey, rating: answer.rating, comment, answeredAt: at },
        ticket.number,
        at,
      );
      return { view, signals };
    });
    await publishFeed(this.ctx.bus, signals);
    return view;
  }

  private async surveyOfToken(db: Db, token: string): Promise<StoredCsatSurvey> {
    const survey = await findCsatSurveyByTokenHash(db, hashToken(token));
    if (!survey) throw unknownSurvey();
    return survey;
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function unknownSurvey(): DomainError {
  return new DomainError('not-found', 'No such survey', 'token');
}

function normalizeComment(raw: string | undefined): string | null {
  const comment = raw?.trim() ?? '';
  if (comment.length > COMMENT_MAX)
    throw new DomainError(
      'validation/invalid',
      `A comment is at most ${COMMENT_MAX} characters`,
      'comment',
    );
  return comment === '' ? null : comment;
}

function stateOf(survey: StoredCsatSurvey, now: Date): CsatSurveyState {
  if (survey.answeredAt) return 'answered';
  return survey.expiresAt <= now ? 'expired' : 'open';
}

function viewOf(survey: StoredCsatSurvey, ticketNumber: number, now: Date): CsatSurveyView {
  return {
    surveyId: survey.id,
    question: CSAT_QUESTION,
    ticketNumber,
    state: stateOf(survey, now),
    rating: survey.rating,
    comment: survey.comment,
    expiresAt: survey.expiresAt.toISOString(),
    answeredAt: survey.answeredAt ? survey.answeredAt.toISOString() : null,
  };
}

function surveyDto(survey: StoredCsatSurvey, now: Date): CsatSurvey {
  return {
    id: survey.id,
    ticketId: survey.ticketId,
    via: survey.via,
    state: stateOf(survey, now),
    sentAt: survey.sentAt.toISOString(),
    expiresAt: survey.expiresAt.toISOString(),
    rating: survey.rating,
    comment: survey.comment,
    answeredAt: survey.answeredAt ? survey.answeredAt.toISOString() : null,
  };
}
