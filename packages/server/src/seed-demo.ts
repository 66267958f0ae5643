import { randomUUID } from 'node:crypto';
import { countUsers, initSetting, type Database } from '@parlour/storage';
import type { Services } from './http/services.js';
import { DEMO_ARTICLES, demoBotFlow } from './demo-bot.js';

export const DEMO_ACCOUNTS = {
  admin: { email: 'admin@parlour.example', password: 'parlour-admin', name: 'Ada Admin' },
  agents: [
    { email: 'alex@parlour.example', password: 'parlour-agent', name: 'Alex Agent' },
    { email: 'sam@parlour.example', password: 'parlour-agent', name: 'Sam Agent' },
  ],
  groups: ['Support', 'Billing'],
} as const;

/**
 * On an empty database: an admin, two agents and two groups, so a new user can try Parlour at
 * once. With `bot`, also a conversation bot flow and a few articles (see demo-bot.ts).
 */
export async function seedDemo(
  database: Database,
  services: Services,
  options: { bot?: boolean } = {},
): Promise<boolean> {
  if ((await countUsers(database.db)) > 0) return false;
  // Several processes may start on one empty database at once: only the one that claims the seed seeds.
  const claim = randomUUID();
  if ((await initSetting(database.db, 'demo_seed_claim', claim, new Date())) !== claim)
    return false;
  const admin = DEMO_ACCOUNTS.admin;
  const adminUser = await services.directory.createUser({
    role: 'admin',
    email: admin.email,
    password: admin.password,
    name: admin.name,
  });
  const agentIds: string[] = [];
  for (const a of DEMO_ACCOUNTS.agents) {
    agentIds.push(
      (
        await services.directory.createUser({
          role: 'agent',
          email: a.email,
          password: a.password,
          name: a.name,
        })
      ).id,
    );
  }
  const support = await services.directory.createGroup({
    name: DEMO_ACCOUNTS.groups[0],
    description: 'General questions',
    memberIds: agentIds,
  });
  const billing = await services.directory.createGroup({
    name: DEMO_ACCOUNTS.groups[1],
    description: 'Invoices and payments',
    memberIds: agentIds.slice(0, 1),
  });
  if (options.bot) {
    await services.bot.saveFlow(adminUser.id, demoBotFlow(support.id, billing.id));
    for (const article of DEMO_ARTICLES) await services.bot.createArticle(article);
  }
  return true;
}
