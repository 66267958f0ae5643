import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { User } from '@parlour/protocol';

/** What every console page receives. */
export interface PageProps {
  readonly me: User;
  /** Go to another console path, e.g. navigate('/agent/console/triggers/<id>'). */
  readonly navigate: (path: string) => void;
  /** The part of the path after the section id ('' or e.g. '<id>'). */
  readonly rest: string;
}

export interface Section {
  readonly id: string;
  readonly label: string;
  readonly area:
    'Insights' | 'People and routing' | 'Rules' | 'Agent tools' | 'Channels' | 'Security';
  /** Who sees the section; the API still authorizes every call. */
  readonly roles: readonly User['role'][];
  readonly page: LazyExoticComponent<ComponentType<PageProps>>;
}

const A = ['admin'] as const;
const AS = ['admin', 'supervisor'] as const;

/** Every console section, each a lazily loaded page (its own chunk). */
export const SECTIONS: readonly Section[] = [
  {
    id: 'live',
    label: 'Live view',
    area: 'Insights',
    roles: AS,
    page: lazy(() => import('./pages/live-view.js')),
  },
  {
    id: 'reports',
    label: 'Reports',
    area: 'Insights',
    roles: AS,
    page: lazy(() => import('./pages/reports.js')),
  },
  {
    id: 'agents',
    label: 'Agents and roles',
    area: 'People and routing',
    roles: A,
    page: lazy(() => import('./pages/agents.js')),
  },
  {
    id: 'groups',
    label: 'Groups and queues',
    area: 'People and routing',
    roles: A,
    page: lazy(() => import('./pages/groups.js')),
  },
  {
    id: 'skills',
    label: 'Skills',
    area: 'People and routing',
    roles: A,
    page: lazy(() => import('./pages/skills.js')),
  },
  {
    id: 'statuses',
    label: 'Statuses and idle reasons',
    area: 'People and routing',
    roles: A,
    page: lazy(() => import('./pages/statuses.js')),
  },
  {
    id: 'business-hours',
    label: 'Business hours',
    area: 'People and routing',
    roles: A,
    page: lazy(() => import('./pages/business-hours.js')),
  },
  {
    id: 'sessions',
    label: 'Sessions and routing',
    area: 'People and routing',
    roles: A,
    page: lazy(() => import('./pages/session-settings.js')),
  },
  {
    id: 'triggers',
    label: 'Triggers',
    area: 'Rules',
    roles: AS,
    page: lazy(() => import('./pages/triggers.js')),
  },
  {
    id: 'automations',
    label: 'Automations',
    area: 'Rules',
    roles: AS,
    page: lazy(() => import('./pages/automations.js')),
  },
  {
    id: 'workflows',
    label: 'Workflows',
    area: 'Rules',
    roles: AS,
    page: lazy(() => import('./pages/workflows.js')),
  },
  {
    id: 'styles',
    label: 'Conversation styles',
    area: 'Rules',
    roles: AS,
    page: lazy(() => import('./pages/conversation-styles.js')),
  },
  {
    id: 'where-used',
    label: 'Where used',
    area: 'Rules',
    roles: AS,
    page: lazy(() => import('./pages/where-used.js')),
  },
  {
    id: 'dry-run',
    label: 'Dry run',
    area: 'Rules',
    roles: AS,
    page: lazy(() => import('./pages/dry-run.js')),
  },
  {
    id: 'bot',
    label: 'Bot flow and articles',
    area: 'Rules',
    roles: A,
    page: lazy(() => import('./pages/bot.js')),
  },
  {
    id: 'macros',
    label: 'Macros',
    area: 'Agent tools',
    roles: A,
    page: lazy(() => import('./pages/macros.js')),
  },
  {
    id: 'responses',
    label: 'Predefined responses',
    area: 'Agent tools',
    roles: A,
    page: lazy(() => import('./pages/responses.js')),
  },
  {
    id: 'wrap-up',
    label: 'Wrap-up reasons',
    area: 'Agent tools',
    roles: A,
    page: lazy(() => import('./pages/wrap-up.js')),
  },
  {
    id: 'csat',
    label: 'CSAT',
    area: 'Agent tools',
    roles: A,
    page: lazy(() => import('./pages/csat.js')),
  },
  {
    id: 'widget',
    label: 'Widget',
    area: 'Channels',
    roles: A,
    page: lazy(() => import('./pages/widget.js')),
  },
  {
    id: 'email',
    label: 'Email',
    area: 'Channels',
    roles: A,
    page: lazy(() => import('./pages/email.js')),
  },
  {
    id: 'api-channel',
    label: 'API channel',
    area: 'Channels',
    roles: A,
    page: lazy(() => import('./pages/api-channel.js')),
  },
  {
    id: 'compliance',
    label: 'PCI and attachments',
    area: 'Security',
    roles: A,
    page: lazy(() => import('./pages/compliance.js')),
  },
  {
    id: 'api-tokens',
    label: 'API tokens and webhooks',
    area: 'Security',
    roles: A,
    page: lazy(() => import('./pages/api-tokens.js')),
  },
  {
    id: 'audit',
    label: 'Audit log',
    area: 'Security',
    roles: A,
    page: lazy(() => import('./pages/audit-log.js')),
  },
];

export const CONSOLE_BASE = '/agent/console';
