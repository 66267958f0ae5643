import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from './common.js';

const strict = { additionalProperties: false } as const;

export const CsatRating = Type.Union([Type.Literal('good'), Type.Literal('bad')]);
export type CsatRating = Static<typeof CsatRating>;

const CsatComment = Type.String({ maxLength: 2000 });

/** The secret in a survey link (`/csat/<token>`): whoever holds it may answer that survey. */
export const CsatToken = Type.String({ pattern: '^[A-Za-z0-9_-]{16,128}$' });

export const CsatTokenParams = Type.Object({ token: CsatToken });
export type CsatTokenParams = Static<typeof CsatTokenParams>;

/** Answering through the emailed link. */
export const CsatAnswerBody = Type.Object(
  { rating: CsatRating, comment: Type.Optional(CsatComment) },
  strict,
);
export type CsatAnswerBody = Static<typeof CsatAnswerBody>;

/** Answering in the widget, the survey named by the `csat.requested` feed event. */
export const WidgetCsatAnswerBody = Type.Object(
  { surveyId: Id, rating: CsatRating, comment: Type.Optional(CsatComment) },
  strict,
);
export type WidgetCsatAnswerBody = Static<typeof WidgetCsatAnswerBody>;

export const CsatSurveyState = Type.Union([
  Type.Literal('open'),
  Type.Literal('answered'),
  Type.Literal('expired'),
]);
export type CsatSurveyState = Static<typeof CsatSurveyState>;

/** What the person holding a survey link sees (nothing about the ticket beyond its number). */
export const CsatSurveyView = Type.Object({
  surveyId: Id,
  question: Type.String(),
  ticketNumber: Type.Integer(),
  state: CsatSurveyState,
  rating: Nullable(CsatRating),
  comment: Nullable(Type.String()),
  expiresAt: Timestamp,
  answeredAt: Nullable(Timestamp),
});
export type CsatSurveyView = Static<typeof CsatSurveyView>;

export const CsatSurvey = Type.Object({
  id: Id,
  ticketId: Id,
  via: Type.Union([Type.Literal('messaging'), Type.Literal('email')]),
  state: CsatSurveyState,
  sentAt: Timestamp,
  expiresAt: Timestamp,
  rating: Nullable(CsatRating),
  comment: Nullable(Type.String()),
  answeredAt: Nullable(Timestamp),
});
export type CsatSurvey = Static<typeof CsatSurvey>;

/** A ticket's satisfaction: the answer (once per ticket), and every survey sent. */
export const TicketSatisfaction = Type.Object({
  satisfaction: Nullable(
    Type.Object({ rating: CsatRating, comment: Nullable(Type.String()), answeredAt: Timestamp }),
  ),
  surveys: Type.Array(CsatSurvey),
});
export type TicketSatisfaction = Static<typeof TicketSatisfaction>;

export const WebhookDeliveryStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('delivered'),
  Type.Literal('failed'),
]);
export type WebhookDeliveryStatus = Static<typeof WebhookDeliveryStatus>;

export const WebhookDelivery = Type.Object({
  id: Id,
  ticketId: Nullable(Id),
  url: Type.String(),
  payload: Type.Unknown(),
  ruleType: Type.String(),
  ruleId: Type.String(),
  ruleName: Type.String(),
  status: WebhookDeliveryStatus,
  attempts: Type.Integer(),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const WebhookDeliveryQuery = Type.Object(
  {
    ticketId: Type.Optional(Id),
    status: Type.Optional(WebhookDeliveryStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  strict,
);
export type WebhookDeliveryQuery = Static<typeof WebhookDeliveryQuery>;

/** The key receivers check `X-Parlour-Signature` with (admins only). */
export const WebhookSigningSecret = Type.Object({ secret: Type.String() });
export type WebhookSigningSecret = Static<typeof WebhookSigningSecret>;
