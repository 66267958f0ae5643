import type { UsageRuleType } from '@parlour/protocol';

/** The console's base path (as sections.ts says; not imported, as sections.ts imports the pages). */
const CONSOLE_BASE = '/agent/console';

/** Where the console edits a rule of each type (the editors are their own pages). */
export function ruleEditorPath(ruleType: UsageRuleType, id: string | null): string {
  switch (ruleType) {
    case 'trigger':
      return `${CONSOLE_BASE}/triggers/${id ?? ''}`;
    case 'automation':
      return `${CONSOLE_BASE}/automations/${id ?? ''}`;
    case 'workflow':
      return `${CONSOLE_BASE}/workflows/${id ?? ''}`;
    case 'macro':
      return `${CONSOLE_BASE}/macros`;
    case 'bot_flow':
      return `${CONSOLE_BASE}/bot`;
  }
}

export const RULE_TYPE_LABELS: Readonly<Record<UsageRuleType, string>> = {
  trigger: 'Triggers',
  automation: 'Automations',
  workflow: 'Workflows',
  macro: 'Macros',
  bot_flow: 'Bot flow',
};

/** "vip, Press ,," → ["vip", "Press"]: a comma-separated list as typed. */
export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
