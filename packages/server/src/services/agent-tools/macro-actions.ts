import { DomainError, validateActions, type RuleAction, type RuleActionType } from '@parlour/core';
import { getGroup, getUser, type Db } from '@parlour/storage';

/** The rule actions a macro may carry: those that change the ticket's fields. */
export const MACRO_ACTION_TYPES: readonly RuleActionType[] = [
  'set_status',
  'set_priority',
  'set_group',
  'set_assignee',
  'add_tags',
  'remove_tags',
];

export type MacroFieldAction = Extract<
  RuleAction,
  {
    type: 'set_status' | 'set_priority' | 'set_group' | 'set_assignee' | 'add_tags' | 'remove_tags';
  }
>;

/**
 * Parses a macro's actions with the rules' validator (the same messages and field paths as
 * triggers); a macro may have none (text only).
 */
export function parseMacroActions(raw: unknown): MacroFieldAction[] {
  if (Array.isArray(raw) && raw.length === 0) return [];
  return validateActions(raw, 'actions', { allowed: MACRO_ACTION_TYPES }) as MacroFieldAction[];
}

/**
 * Checks that the groups and assignees the actions name exist (assignees active), and that an
 * assignee set together with a group is a member of it. Field paths point at the action.
 */
export async function checkMacroReferences(
  db: Db,
  actions: readonly MacroFieldAction[],
): Promise<void> {
  let groupId: string | null | undefined;
  for (const [i, action] of actions.entries()) {
    if (action.type === 'set_group' && action.value !== null) {
      if (!(await getGroup(db, action.value)))
        throw new DomainError('validation/invalid', 'No such group', `actions.${i}.value`);
    }
    if (action.type === 'set_group') groupId = action.value;
  }
  for (const [i, action] of actions.entries()) {
    if (action.type !== 'set_assignee' || action.value === null) continue;
    const user = await getUser(db, action.value);
    if (!user || !user.active)
      throw new DomainError('validation/invalid', 'No such active user', `actions.${i}.value`);
    if (groupId && !user.groupIds.includes(groupId)) {
      throw new DomainError(
        'validation/invalid',
        'The assignee is not a member of the group this macro sets',
        `actions.${i}.value`,
      );
    }
  }
}
