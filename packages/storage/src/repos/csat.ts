import type { Selectable } from 'kysely';
import type { Db } from '../database.js';
import type { CsatSurveysTable } from '../schema.js';

export type CsatRating = 'good' | 'bad';

export interface StoredCsatSurvey {
  readonly id: string;
  readonly ticketId: string;
  readonly conversationId: string;
  readonly via: 'messaging' | 'email';
  readonly sentAt: Date;
  readonly expiresAt: Date;
  readonly rating: CsatRating | null;
  readonly comment: string | null;
  readonly answeredAt: Date | null;
}

function toSurvey(row: Selectable<CsatSurveysTable>): StoredCsatSurvey {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    conversationId: row.conversation_id,
    via: row.via,
    sentAt: row.sent_at,
    expiresAt: row.expires_at,
    rating: row.rating,
    comment: row.comment,
    answeredAt: row.answered_at,
  };
}

/** Stores a sent survey. Only the token's hash is kept: the token itself is the answerer's key. */
export async function insertCsatSurvey(
  db: Db,
  survey: Omit<StoredCsatSurvey, 'rating' | 'comment' | 'answeredAt'> & { tokenHash: string },
): Promise<void> {
  await db
    .insertInto('csat_surveys')
    .values({
      id: survey.id,
      ticket_id: survey.ticketId,
      conversation_id: survey.conversationId,
      token_hash: survey.tokenHash,
      via: survey.via,
      sent_at: survey.sentAt,
      expires_at: survey.expiresAt,
      rating: null,
      comment: null,
      answered_at: null,
    })
    .execute();
}

/** The ticket's surveys, oldest first. */
export async function listCsatSurveys(db: Db, ticketId: string): Promise<StoredCsatSurvey[]> {
  const rows = await db
    .selectFrom('csat_surveys')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('sent_at')
    .orderBy('id')
    .execute();
  return rows.map(toSurvey);
}

export async function getCsatSurvey(db: Db, id: string): Promise<StoredCsatSurvey | null> {
  const row = await db
    .selectFrom('csat_surveys')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toSurvey(row) : null;
}

export async function findCsatSurveyByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<StoredCsatSurvey | null> {
  const row = await db
    .selectFrom('csat_surveys')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row ? toSurvey(row) : null;
}

/** Stores the answer unless the survey was answered already; true when this call stored it. */
export async function answerCsatSurvey(
  db: Db,
  id: string,
  answer: { rating: CsatRating; comment: string | null; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('csat_surveys')
    .set({ rating: answer.rating, comment: answer.comment, answered_at: answer.at })
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
