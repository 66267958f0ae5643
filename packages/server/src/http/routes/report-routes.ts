import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BusinessHours,
  BusinessHoursBody,
  Id,
  MetricDefinitions,
  ReportQuery,
  ReportResult,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS, MANAGERS } from '../../principal.js';
import { requireUser } from '../access.js';
import type { Services } from '../services.js';
import { reportCsv, reportFileName } from '../../services/reports/report-csv.js';

const BusinessHoursParams = Type.Object({ id: Id }, { additionalProperties: false });
const BusinessHoursList = Type.Object({ items: Type.Array(BusinessHours) });

/** Reports (admins and supervisors; a supervisor sees their groups) and business hours. */
export const reportRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { reports, businessHours } = services;

  app.get(
    '/api/reports/metrics',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['reports'],
        summary: 'The metric registry: each metric’s start, stop, credit and day it counts on',
        response: { 200: MetricDefinitions },
      },
    },
    async () => ({ items: reports.metrics() }),
  );
  app.get(
    '/api/reports',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['reports'],
        summary:
          'A metric over a range, by agent, group, channel or status and by hour, day or week, in a time zone, calendar or business hours',
        querystring: ReportQuery,
        response: { 200: ReportResult },
      },
    },
    async (request) => reports.run(request.query, requireUser(request)),
  );
  app.get(
    '/api/reports/export.csv',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['reports'],
        summary: 'The same report as CSV: the rows on screen, then the total',
        querystring: ReportQuery,
      },
    },
    async (request, reply) => {
      const result = await reports.run(request.query, requireUser(request));
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${reportFileName(result)}"`)
        .header('X-Report-Time-Zone', result.timeZone)
        .send(reportCsv(result));
    },
  );

  app.get(
    '/api/business-hours',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['business-hours'],
        summary: 'Business-hours schedules, the default first',
        response: { 200: BusinessHoursList },
      },
    },
    async () => ({ items: await businessHours.list() }),
  );
  app.post(
    '/api/business-hours',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['business-hours'],
        summary: 'Create a schedule (the first one becomes the default)',
        body: BusinessHoursBody,
        response: { 201: BusinessHours },
      },
    },
    async (request, reply) => reply.code(201).send(await businessHours.create(request.body)),
  );
  app.get(
    '/api/business-hours/:id',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['business-hours'],
        summary: 'One schedule',
        params: BusinessHoursParams,
        response: { 200: BusinessHours },
      },
    },
    async (request) => businessHours.get(request.params.id),
  );
  app.put(
    '/api/business-hours/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['business-hours'],
        summary: 'Replace a schedule’s name, zone, intervals and holidays',
        params: BusinessHoursParams,
        body: BusinessHoursBody,
        response: { 200: BusinessHours },
      },
    },
    async (request) => businessHours.update(request.params.id, request.body),
  );
  app.delete(
    '/api/business-hours/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['business-hours'],
        summary: 'Delete a schedule (deleting the default makes the next one the default)',
        params: BusinessHoursParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await businessHours.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
