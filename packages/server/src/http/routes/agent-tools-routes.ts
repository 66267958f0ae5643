import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AppliedMacro,
  ApplyMacroBody,
  CreateMacroBody,
  CreateResponseBody,
  CreateWrapUpReasonBody,
  Id,
  Macro,
  MacroPreview,
  PredefinedResponse,
  RenderedResponse,
  ResponseSearchQuery,
  TicketWrapUp,
  UpdateMacroBody,
  UpdateResponseBody,
  UpdateWrapUpReasonBody,
  WrapUpBody,
  WrapUpReason,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS, STAFF } from '../../principal.js';
import { requireUser } from '../access.js';
import type { Services } from '../services.js';

const MacroParams = Type.Object({ macroId: Id });
const TicketMacroParams = Type.Object({ ticketId: Id, macroId: Id });
const ResponseParams = Type.Object({ responseId: Id });
const ReasonParams = Type.Object({ reasonId: Id });
const TicketParams = Type.Object({ ticketId: Id });

/** Macros, predefined chat responses and wrap-up reasons. */
export const agentToolsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { macros, responses, wrapUps } = services;

  app.get(
    '/api/macros',
    {
      config: { access: STAFF },
      schema: {
        tags: ['macros'],
        summary: 'Shared macros, then your personal ones',
        response: { 200: Type.Array(Macro) },
      },
    },
    async (request) => macros.list(requireUser(request)),
  );
  app.post(
    '/api/macros',
    {
      config: { access: STAFF },
      schema: {
        tags: ['macros'],
        summary: 'Create a personal macro, or a shared one (admins, shared: true)',
        body: CreateMacroBody,
        response: { 201: Macro },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await macros.create(requireUser(request), request.body)),
  );
  app.get(
    '/api/macros/:macroId',
    {
      config: { access: STAFF },
      schema: {
        tags: ['macros'],
        summary: 'A shared macro or one of yours',
        params: MacroParams,
        response: { 200: Macro },
      },
    },
    async (request) => macros.get(requireUser(request), request.params.macroId),
  );
  app.patch(
    '/api/macros/:macroId',
    {
      config: { access: STAFF },
      schema: {
        tags: ['macros'],
        summary: 'Change one of your macros (admins: shared ones too)',
        params: MacroParams,
        body: UpdateMacroBody,
        response: { 200: Macro },
      },
    },
    async (request) => macros.update(requireUser(request), request.params.macroId, request.body),
  );
  app.delete(
    '/api/macros/:macroId',
    {
      config: { access: STAFF },
      schema: {
        tags: ['macros'],
        summary: 'Delete one of your macros (admins: shared ones too)',
        params: MacroParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await macros.remove(requireUser(request), request.params.macroId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/tickets/:ticketId/macros/:macroId/preview',
    {
      config: { access: STAFF },
      schema: {
        tags: ['macros'],
        summary: 'What a macro would change on the ticket, and its text filled in (no write)',
        params: TicketMacroParams,
        response: { 200: MacroPreview },
      },
    },
    async (request) =>
      macros.preview(requireUser(request), request.params.ticketId, request.params.macroId),
  );
  app.post(
    '/api/tickets/:ticketId/macros/:macroId/apply',
    {
      config: { access: STAFF },
      schema: {
        tags: ['macros'],
        summary: "Apply a macro: post its text (or your edit of it) and change the ticket's fields",
        params: TicketMacroParams,
        body: ApplyMacroBody,
        response: { 200: AppliedMacro },
      },
    },
    async (request) =>
      macros.apply(
        requireUser(request),
        request.params.ticketId,
        request.params.macroId,
        request.body,
      ),
  );

  app.get(
    '/api/responses',
    {
      config: { access: STAFF },
      schema: {
        tags: ['responses'],
        summary:
          'Search predefined responses (title, shortcut, text); with ticketId, filled in for that ticket',
        querystring: ResponseSearchQuery,
        response: { 200: Type.Array(RenderedResponse) },
      },
    },
    async (request) => responses.search(requireUser(request), request.query),
  );
  app.post(
    '/api/responses',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['responses'],
        summary: 'Create a predefined response',
        body: CreateResponseBody,
        response: { 201: PredefinedResponse },
      },
    },
    async (request, reply) => reply.code(201).send(await responses.create(request.body)),
  );
  app.patch(
    '/api/responses/:responseId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['responses'],
        summary: 'Change a predefined response',
        params: ResponseParams,
        body: UpdateResponseBody,
        response: { 200: PredefinedResponse },
      },
    },
    async (request) => responses.update(request.params.responseId, request.body),
  );
  app.delete(
    '/api/responses/:responseId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['responses'],
        summary: 'Delete a predefined response',
        params: ResponseParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await responses.remove(request.params.responseId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/wrap-up-reasons',
    {
      config: { access: STAFF },
      schema: {
        tags: ['wrap-up'],
        summary: 'Wrap-up reasons (inactive ones too, marked)',
        response: { 200: Type.Array(WrapUpReason) },
      },
    },
    async () => wrapUps.list(),
  );
  app.post(
    '/api/wrap-up-reasons',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['wrap-up'],
        summary: 'Create a wrap-up reason',
        body: CreateWrapUpReasonBody,
        response: { 201: WrapUpReason },
      },
    },
    async (request, reply) => reply.code(201).send(await wrapUps.create(request.body)),
  );
  app.patch(
    '/api/wrap-up-reasons/:reasonId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['wrap-up'],
        summary: 'Rename, reorder, retire or restore a wrap-up reason',
        params: ReasonParams,
        body: UpdateWrapUpReasonBody,
        response: { 200: WrapUpReason },
      },
    },
    async (request) => wrapUps.update(request.params.reasonId, request.body),
  );
  app.delete(
    '/api/wrap-up-reasons/:reasonId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['wrap-up'],
        summary: 'Delete a wrap-up reason; one that tickets carry is deactivated instead',
        params: ReasonParams,
        response: {
          200: Type.Object({
            outcome: Type.Union([Type.Literal('deleted'), Type.Literal('deactivated')]),
          }),
        },
      },
    },
    async (request) => wrapUps.remove(request.params.reasonId),
  );
  app.post(
    '/api/tickets/:ticketId/wrap-up',
    {
      config: { access: STAFF },
      schema: {
        tags: ['wrap-up'],
        summary: 'Record why the chat ended (1 to 10 active reasons); returns all the ticket has',
        params: TicketParams,
        body: WrapUpBody,
        response: { 200: Type.Array(TicketWrapUp) },
      },
    },
    async (request) =>
      wrapUps.wrapUp(requireUser(request), request.params.ticketId, request.body.reasonIds),
  );
  app.get(
    '/api/tickets/:ticketId/wrap-up',
    {
      config: { access: STAFF },
      schema: {
        tags: ['wrap-up'],
        summary: "The ticket's wrap-up reasons",
        params: TicketParams,
        response: { 200: Type.Array(TicketWrapUp) },
      },
    },
    async (request) => wrapUps.ofTicket(request.params.ticketId),
  );
};
