import {
  DomainError,
  USAGE_KINDS,
  isRuleField,
  normalizeTags,
  usesInBotFlow,
  usesInRule,
  usesInWorkflow,
  type BotFlow,
  type UsageKind,
  type UsageTarget,
} from '@parlour/core';
import type { Usage, WhereUsedQuery, WhereUsedResult } from '@parlour/protocol';
import {
  getBotFlow,
  getWorkflowVersion,
  listAutomations,
  listMacros,
  listTriggers,
  listWorkflows,
} from '@parlour/storage';
import type { ServiceContext } from '../context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * "Where used": reads every stored definition (triggers, automations, workflow drafts and
 * published versions, the shared macros and the viewer's own, the bot flow) and lets the core's
 * walkers say where each refers to a group, an agent, a tag or a rule field. Writes nothing.
 */
export class WhereUsedService {
  constructor(private readonly ctx: ServiceContext) {}

  async find(query: WhereUsedQuery, viewerId: string): Promise<WhereUsedResult> {
    const target = parseTarget(query);
    const db = this.ctx.database.db;
    const [triggers, automations, workflows, macros, bot] = await Promise.all([
      listTriggers(db),
      listAutomations(db),
      listWorkflows(db),
      listMacros(db, { ownerId: viewerId }),
      getBotFlow(db),
    ]);
    const uses: Usage[] = [];
    const add = (use: Omit<Usage, 'variant' | 'version'> & Partial<Usage>) => {
      if (use.places.length > 0) uses.push({ variant: null, version: null, ...use });
    };
    for (const t of [...triggers].sort((a, b) => a.position - b.position))
      add({
        ruleType: 'trigger',
        id: t.id,
        name: t.name,
        active: t.active,
        places: usesInRule(t, target),
      });
    for (const a of [...automations].sort((x, y) => x.position - y.position))
      add({
        ruleType: 'automation',
        id: a.id,
        name: a.name,
        active: a.active,
        places: usesInRule(a, target),
      });
    for (const w of workflows) {
      const base = { ruleType: 'workflow' as const, id: w.id, name: w.name, active: w.active };
      add({ ...base, variant: 'draft', places: usesInWorkflow(w.draft, target) });
      if (w.publishedVersion !== null) {
        const published = await getWorkflowVersion(db, w.id, w.publishedVersion);
        if (published)
          add({
            ...base,
            variant: 'published',
            version: published.version,
            places: usesInWorkflow(published.definition, target),
          });
      }
    }
    for (const m of macros)
      add({
        ruleType: 'macro',
        id: m.id,
        name: m.title,
        active: m.active,
        places: usesInRule({ conditions: { all: [], any: [] }, actions: m.actions }, target),
      });
    if (bot) {
      const flow = bot.flow as unknown as BotFlow;
      add({
        ruleType: 'bot_flow',
        id: null,
        name: 'Bot flow',
        active: flow.enabled,
        version: bot.version,
        places: usesInBotFlow(flow, target),
      });
    }
    return { kind: target.kind, value: target.value, uses };
  }
}

/** The kind must be one of four; ids must be ids, a tag a tag, a field a rule field. */
function parseTarget(query: WhereUsedQuery): UsageTarget {
  const kind = query.kind as UsageKind;
  if (!USAGE_KINDS.includes(kind))
    throw new DomainError(
      'validation/invalid',
      `kind must be one of ${USAGE_KINDS.join(', ')}`,
      'kind',
    );
  const value = query.value.trim();
  switch (kind) {
    case 'group':
    case 'agent':
      if (!UUID.test(value))
        throw new DomainError('validation/invalid', `"${value}" is not an id`, 'value');
      return { kind, value: value.toLowerCase() };
    case 'tag':
      return { kind, value: normalizeTags([value], 'value')[0]! };
    case 'field':
      if (!isRuleField(value))
        throw new DomainError('validation/invalid', `Unknown field "${value}"`, 'value');
      return { kind, value };
  }
}
