import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ApplyStyleBody,
  Automation,
  AutomationBody,
  ConversationStyle,
  DryRunBody,
  DryRunResult,
  Id,
  ReorderBody,
  Trigger,
  TriggerBody,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS, MANAGERS } from '../../principal.js';
import type { Services } from '../services.js';

const TriggerParams = Type.Object({ triggerId: Id });
const AutomationParams = Type.Object({ automationId: Id });
const Done = Type.Object({ ok: Type.Literal(true) });
const FieldSpec = Type.Object({
  field: Type.String(),
  operators: Type.Array(Type.String()),
  value: Type.String(),
  usage: Type.Array(Type.String()),
});

/** Triggers, automations, the rule fields, conversation styles and the trigger dry run. */
export const rulesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { rules, conversationStyles } = services;
  const asTrigger = (t: unknown) => t as Trigger;
  const asAutomation = (a: unknown) => a as Automation;

  app.get(
    '/api/rules/fields',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['rules'],
        summary:
          'Every condition field with the operators and values it takes, and where it can be used',
        response: { 200: Type.Array(FieldSpec) },
      },
    },
    async () => rules.fields(),
  );

  app.get(
    '/api/triggers',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['rules'],
        summary: 'Triggers in evaluation order',
        response: { 200: Type.Array(Trigger) },
      },
    },
    async () => (await rules.listTriggers()).map(asTrigger),
  );
  app.post(
    '/api/triggers',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['rules'],
        summary: 'Create a trigger (added at the end of the order)',
        body: TriggerBody,
        response: { 201: Trigger },
      },
    },
    async (request, reply) =>
      reply.code(201).send(asTrigger(await rules.createTrigger(request.body))),
  );
  app.put(
    '/api/triggers/order',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['rules'],
        summary: 'Reorder triggers: the ids listed come first, in that order',
        body: ReorderBody,
        response: { 200: Type.Array(Trigger) },
      },
    },
    async (request) => (await rules.reorderTriggers(request.body.ids)).map(asTrigger),
  );
  app.post(
    '/api/triggers/dry-run',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['rules'],
        summary:
          'Which triggers would fire on a change to a ticket, in which order, and why the others would not (nothing is written)',
        body: DryRunBody,
        response: { 200: DryRunResult },
      },
    },
    async (request) => rules.dryRun(request.body),
  );
  app.get(
    '/api/triggers/:triggerId',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['rules'],
        summary: 'One trigger',
        params: TriggerParams,
        response: { 200: Trigger },
      },
    },
    async (request) => asTrigger(await rules.getTrigger(request.params.triggerId)),
  );
  app.put(
    '/api/triggers/:triggerId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['rules'],
        summary: 'Replace a trigger (its place in the order stays)',
        params: TriggerParams,
        body: TriggerBody,
        response: { 200: Trigger },
      },
    },
    async (request) => asTrigger(await rules.updateTrigger(request.params.triggerId, request.body)),
  );
  app.delete(
    '/api/triggers/:triggerId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['rules'],
        summary: 'Delete a trigger',
        params: TriggerParams,
        response: { 200: Done },
      },
    },
    async (request) => {
      await rules.deleteTrigger(request.params.triggerId);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/automations',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['rules'],
        summary: 'Automations in order',
        response: { 200: Type.Array(Automation) },
      },
    },
    async () => (await rules.listAutomations()).map(asAutomation),
  );
  app.post(
    '/api/automations',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['rules'],
        summary:
          'Create an automation (it needs a time condition, and a condition its actions make false or "once per ticket")',
        body: AutomationBody,
        response: { 201: Automation },
      },
    },
    async (request, reply) =>
      reply.code(201).send(asAutomation(await rules.createAutomation(request.body))),
  );
  app.put(
    '/api/automations/order',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['rules'],
        summary: 'Reorder automations: the ids listed come first, in that order',
        body: ReorderBody,
        response: { 200: Type.Array(Automation) },
      },
    },
    async (request) => (await rules.reorderAutomations(request.body.ids)).map(asAutomation),
  );
  app.get(
    '/api/automations/:automationId',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['rules'],
        summary: 'One automation',
        params: AutomationParams,
        response: { 200: Automation },
      },
    },
    async (request) => asAutomation(await rules.getAutomation(request.params.automationId)),
  );
  app.put(
    '/api/automations/:automationId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['rules'],
        summary: 'Replace an automation',
        params: AutomationParams,
        body: AutomationBody,
        response: { 200: Automation },
      },
    },
    async (request) =>
      asAutomation(await rules.updateAutomation(request.params.automationId, request.body)),
  );
  app.delete(
    '/api/automations/:automationId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['rules'],
        summary: 'Delete an automation',
        params: AutomationParams,
        response: { 200: Done },
      },
    },
    async (request) => {
      await rules.deleteAutomation(request.params.automationId);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/conversation-style',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['rules'],
        summary: 'The conversation style applied (seed 001) and the rules it owns',
        response: { 200: ConversationStyle },
      },
    },
    async () => conversationStyles.current(),
  );
  app.put(
    '/api/conversation-style',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['rules'],
        summary:
          "Apply a conversation style: creates or updates its rules, deactivates the other styles' rules, and lists what changed",
        body: ApplyStyleBody,
        response: { 200: ConversationStyle },
      },
    },
    async (request) => conversationStyles.apply(request.body),
  );
};
