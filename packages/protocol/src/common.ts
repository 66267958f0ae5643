import { Type } from 'typebox';

export const Id = Type.String({ format: 'uuid', description: 'A UUID' });
export const Timestamp = Type.String({ format: 'date-time' });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const Role = Type.Union([
  Type.Literal('admin'),
  Type.Literal('supervisor'),
  Type.Literal('agent'),
]);
export const Channel = Type.Union([
  Type.Literal('messaging'),
  Type.Literal('email'),
  Type.Literal('api'),
]);
export const TicketStatus = Type.Union([
  Type.Literal('new'),
  Type.Literal('open'),
  Type.Literal('pending'),
  Type.Literal('on_hold'),
  Type.Literal('solved'),
  Type.Literal('closed'),
]);
export const TicketPriority = Type.Union([
  Type.Literal('low'),
  Type.Literal('normal'),
  Type.Literal('high'),
  Type.Literal('urgent'),
]);
export const MessageKind = Type.Union([Type.Literal('public'), Type.Literal('internal')]);
export const SessionEndReason = Type.Union([
  Type.Literal('ended_by_agent'),
  Type.Literal('customer_left'),
  Type.Literal('ticket_closed'),
]);
export const ActorType = Type.Union([
  Type.Literal('user'),
  Type.Literal('end_user'),
  Type.Literal('bot'),
  Type.Literal('system'),
]);

/** Every error, over HTTP and WebSocket alike. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'A stable code such as ticket/closed' }),
      message: Type.String(),
      field: Type.Optional(Type.String({ description: 'The request field at fault' })),
    }),
  },
  { $id: 'Error' },
);
