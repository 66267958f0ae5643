import type { Group, User } from '@parlour/protocol';
import { useLoad } from '../form-kit.js';
import type { FieldSpec } from './rules-model.js';

export interface NamedItem {
  readonly id: string;
  readonly name: string;
}

/** What the rule editors offer in their selects: the condition fields, groups, agents, skills. */
export interface RuleDirectory {
  readonly fields: readonly FieldSpec[];
  readonly groups: readonly Group[];
  readonly users: readonly User[];
  readonly skills: readonly NamedItem[];
}

/** Loads the rule directory; `directory` is null until everything has arrived. */
export function useRuleDirectory(): {
  directory: RuleDirectory | null;
  error: string | null;
  loading: boolean;
} {
  const fields = useLoad<FieldSpec[]>('/api/rules/fields');
  const groups = useLoad<Group[]>('/api/groups');
  const users = useLoad<User[]>('/api/users');
  const skills = useLoad<NamedItem[]>('/api/skills');
  const parts = [fields, groups, users, skills];
  const error = parts.find((p) => p.error)?.error ?? null;
  const directory =
    fields.data && groups.data && users.data && skills.data
      ? { fields: fields.data, groups: groups.data, users: users.data, skills: skills.data }
      : null;
  return { directory, error, loading: parts.some((p) => p.loading) };
}
