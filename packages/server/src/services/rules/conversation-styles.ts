import { DomainError, type Automation, type ConditionSet, type Trigger } from '@parlour/core';
import type { ApplyStyleBody, ConversationStyle, ConversationStyleName } from '@parlour/protocol';
import { listAutomations, listTriggers, readSetting, writeSetting } from '@parlour/storage';
import type { ServiceContext } from '../context.js';
import type { RulesAdminService } from './rules-admin-service.js';

/** At most this long after Solved is a ticket kept open for a returning customer (seed 001). */
export const MAX_CLOSE_AFTER_HOURS = 28 * 24;
const SOCIAL_DEFAULT_HOURS = 4 * 24;
const RETURNING_DEFAULT_HOURS = 1;

interface StoredStyle {
  style: ConversationStyleName;
  closeAfterHours: number | null;
  appliedAt: string;
}

type PresetRule =
  | { kind: 'trigger'; preset: string; name: string; conditions: ConditionSet }
  | { kind: 'automation'; preset: string; name: string; conditions: ConditionSet };

const closeAction = [{ type: 'set_status', value: 'closed' }] as const;

/**
 * The rules each conversation style needs (seed 001). Each rule carries its preset key, so
 * applying a style again updates the same rules, and applying another one deactivates them:
 * - Live chat: a trigger closes a messaging ticket as soon as it is Solved; a returning customer
 *   starts a new ticket.
 * - Live chat with a returning customer: an automation closes a Solved messaging ticket after a
 *   delay; a reply before that reopens it with the same agent.
 * - Social messaging: an automation closes a Solved ticket after 4 days (configurable), and a
 *   second one after 28 days at the latest, whatever the first says.
 */
function rulesOf(style: ConversationStyleName, hours: number): PresetRule[] {
  const solved = { field: 'status', operator: 'is', value: 'solved' } as const;
  const messaging = { field: 'channel', operator: 'is', value: 'messaging' } as const;
  switch (style) {
    case 'live_chat':
      return [
        {
          kind: 'trigger',
          preset: 'live_chat:close-when-solved',
          name: 'Live chat: close a chat as soon as it is solved',
          conditions: {
            all: [{ field: 'status', operator: 'changed_to', value: 'solved' }, messaging],
            any: [],
          },
        },
      ];
    case 'live_chat_returning':
      return [
        {
          kind: 'automation',
          preset: 'live_chat_returning:close-after',
          name: `Live chat with a returning customer: close ${describe(hours)} after solved`,
          conditions: {
            all: [
              solved,
              messaging,
              { field: 'hours_since_solved', operator: 'greater_than', value: hours },
            ],
            any: [],
          },
        },
      ];
    case 'social_messaging':
      return [
        {
          kind: 'automation',
          preset: 'social_messaging:close-after',
          name: `Social messaging: close ${describe(hours)} after solved`,
          conditions: {
            all: [solved, { field: 'hours_since_solved', operator: 'greater_than', value: hours }],
            any: [],
          },
        },
        {
          kind: 'automation',
          preset: 'social_messaging:close-at-the-latest',
          name: 'Social messaging: close 28 days after solved at the latest',
          conditions: {
            all: [
              solved,
              {
                field: 'hours_since_solved',
                operator: 'greater_than',
                value: MAX_CLOSE_AFTER_HOURS,
              },
            ],
            any: [],
          },
        },
      ];
  }
}

function describe(hours: number): string {
  return hours % 24 === 0
    ? `${hours / 24} day${hours === 24 ? '' : 's'}`
    : `${hours} hour${hours === 1 ? '' : 's'}`;
}

export class ConversationStyles {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly admin: RulesAdminService,
  ) {}

  async current(): Promise<ConversationStyle> {
    const stored = await readSetting<StoredStyle>(this.ctx.database.db, 'conversation_style');
    const rules = await this.presetRules();
    return {
      style: stored?.style ?? null,
      closeAfterHours: stored?.closeAfterHours ?? null,
      appliedAt: stored?.appliedAt ?? null,
      rules: rules.map((r) => ({
        kind: r.kind,
        id: r.id,
        name: r.name,
        active: r.active,
        change: 'unchanged' as const,
      })),
    };
  }

  /** Creates or updates the style's rules and deactivates the other styles' rules; says what changed. */
  async apply(body: ApplyStyleBody): Promise<ConversationStyle> {
    const at = this.ctx.clock.now();
    const hours =
      body.style === 'live_chat'
        ? null
        : (body.closeAfterHours ??
          (body.style === 'social_messaging' ? SOCIAL_DEFAULT_HOURS : RETURNING_DEFAULT_HOURS));
    if (hours !== null && hours > MAX_CLOSE_AFTER_HOURS) {
      throw new DomainError(
        'validation/invalid',
        'A solved ticket closes after 28 days at the latest',
        'closeAfterHours',
      );
    }
    const wanted = rulesOf(body.style, hours ?? 0);
    const existing = await this.presetRules();
    const report: ConversationStyle['rules'] = [];
    for (const rule of wanted) {
      const found = existing.find((e) => e.preset === rule.preset);
      const definition = {
        name: rule.name,
        conditions: rule.conditions,
        actions: closeAction,
        active: true,
      };
      if (rule.kind === 'trigger') {
        const trigger: Trigger =
          found?.kind === 'trigger'
            ? { ...found.rule, ...definition }
            : {
                id: this.ctx.newId(),
                category: 'Conversation style',
                scope: 'ticket',
                position: await this.admin.nextPosition('triggers'),
                preset: rule.preset,
                ...definition,
              };
        await this.admin.savePresetRule({ kind: 'trigger', value: trigger });
        report.push({
          kind: 'trigger',
          id: trigger.id,
          name: trigger.name,
          active: true,
          change: changeOf(found?.rule, trigger),
        });
      } else {
        const automation: Automation =
          found?.kind === 'automation'
            ? { ...found.rule, ...definition }
            : {
                id: this.ctx.newId(),
                oncePerTicket: false,
                position: await this.admin.nextPosition('automations'),
                preset: rule.preset,
                ...definition,
              };
        await this.admin.savePresetRule({ kind: 'automation', value: automation });
        report.push({
          kind: 'automation',
          id: automation.id,
          name: automation.name,
          active: true,
          change: changeOf(found?.rule, automation),
        });
      }
    }
    for (const other of existing) {
      if (wanted.some((w) => w.preset === other.preset)) continue;
      if (other.active) {
        if (other.kind === 'trigger')
          await this.admin.savePresetRule({
            kind: 'trigger',
            value: { ...other.rule, active: false },
          });
        else
          await this.admin.savePresetRule({
            kind: 'automation',
            value: { ...other.rule, active: false },
          });
      }
      report.push({
        kind: other.kind,
        id: other.id,
        name: other.name,
        active: false,
        change: other.active ? 'deactivated' : 'unchanged',
      });
    }
    const stored: StoredStyle = {
      style: body.style,
      closeAfterHours: hours,
      appliedAt: at.toISOString(),
    };
    await writeSetting(this.ctx.database.db, 'conversation_style', stored, at);
    await this.admin.automationsChanged();
    return { ...stored, rules: report };
  }

  private async presetRules() {
    const db = this.ctx.database.db;
    const triggers = (await listTriggers(db))
      .filter((t) => t.preset !== null)
      .map((t) => ({
        kind: 'trigger' as const,
        id: t.id,
        name: t.name,
        active: t.active,
        preset: t.preset!,
        rule: t,
      }));
    const automations = (await listAutomations(db))
      .filter((a) => a.preset !== null)
      .map((a) => ({
        kind: 'automation' as const,
        id: a.id,
        name: a.name,
        active: a.active,
        preset: a.preset!,
        rule: a,
      }));
    return [...triggers, ...automations];
  }
}

function changeOf(before: Trigger | Automation | undefined, after: Trigger | Automation) {
  if (!before) return 'created' as const;
  return JSON.stringify(before) === JSON.stringify(after)
    ? ('unchanged' as const)
    : ('updated' as const);
}
