import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Id,
  Page,
  Ticket,
  TicketEvent,
  TicketListQuery,
  UpdateTicketBody,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { STAFF } from '../../principal.js';
import { requireUser } from '../access.js';
import type { Services } from '../services.js';

const Params = Type.Object({ ticketId: Id });

export const ticketRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get(
    '/api/tickets',
    {
      config: { access: STAFF },
      schema: {
        tags: ['tickets'],
        summary: 'Tickets, newest activity first, filtered; follow nextCursor for the next page',
        querystring: TicketListQuery,
        response: { 200: Page(Ticket) },
      },
    },
    async (request) => services.tickets.list(requireUser(request), request.query),
  );
  app.get(
    '/api/tickets/:ticketId',
    {
      config: { access: STAFF },
      schema: {
        tags: ['tickets'],
        summary: 'One ticket',
        params: Params,
        response: { 200: Ticket },
      },
    },
    async (request) => services.tickets.get(request.params.ticketId),
  );
  app.patch(
    '/api/tickets/:ticketId',
    {
      config: { access: STAFF, pci: 'self' },
      schema: {
        tags: ['tickets'],
        summary: 'Change status, assignee, group, tags, priority or subject',
        params: Params,
        body: UpdateTicketBody,
        response: { 200: Ticket },
      },
    },
    async (request) =>
      services.tickets.update(requireUser(request), request.params.ticketId, request.body),
  );
  app.get(
    '/api/tickets/:ticketId/events',
    {
      config: { access: STAFF },
      schema: {
        tags: ['tickets'],
        summary: "The ticket's whole history with actor and time",
        params: Params,
        response: { 200: Type.Array(TicketEvent) },
      },
    },
    async (request) => services.tickets.history(request.params.ticketId),
  );
};
