import type { FeedEntry, Ticket, TicketEvent } from '@parlour/protocol';
import type { StorageKind } from '@parlour/storage';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from './api-client.js';
import { startTestServer, type TestServer } from './test-server.js';

const JWT_SECRET = 'rules-bed-secret-of-at-least-32-characters!';

export interface Opened {
  readonly ticket: Ticket;
  readonly conversationId: string;
  readonly visitor: { token: string; endUserId: string };
}

/**
 * A server with the demo accounts, for tests of triggers, automations and conversation styles:
 * customers who chat and are handed off, agents who answer, an admin who writes rules, and the
 * injected clock with the durable timers to jump ahead.
 */
export async function startRulesBed(kind: StorageKind) {
  const clock = new ManualClock();
  const t: TestServer = await startTestServer(kind, { clock });
  const api = apiClient(t.server.app);
  let admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
  const agent = async (account: { email: string; password: string }) => {
    const token = await api.login(account.email, account.password);
    return { token, id: (await api.call('GET', '/api/me', { token })).body.id as string };
  };
  const alex = await agent(DEMO_ACCOUNTS.agents[0]);
  const sam = await agent(DEMO_ACCOUNTS.agents[1]);
  const groups = (
    await api.call<{ id: string; name: string }[]>('GET', '/api/groups', { token: admin })
  ).body;
  const supportId = groups.find((g) => g.name === 'Support')!.id;
  const billingId = groups.find((g) => g.name === 'Billing')!.id;
  expect(
    (
      await api.call('PATCH', '/api/settings', {
        token: admin,
        body: { endUserJwtSecret: JWT_SECRET },
      })
    ).status,
  ).toBe(200);

  let visitors = 0;
  /** A customer whose identity (and email) the company's site vouches for. */
  async function knownVisitor(email = `customer${++visitors}@customer.example`) {
    const now = Math.floor(clock.now().getTime() / 1000);
    const jwt = await new SignJWT({ external_id: email, email, name: 'Cora Customer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const r = await api.call('POST', '/api/widget/session', { body: { jwt } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return { token: r.body.token as string, endUserId: r.body.endUser.id as string };
  }

  /** A customer chats, and the bot hands the chat to Support: a New ticket. */
  async function openTicket(
    options: {
      visitor?: { token: string; endUserId: string };
      tags?: string[];
      groupId?: string;
    } = {},
  ): Promise<Opened> {
    clock.advance(1_000);
    const visitor = options.visitor ?? (await api.visitor());
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'Hello, I need help' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    const handoff = await api.call<Ticket>('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: {
        groupId: options.groupId ?? supportId,
        ...(options.tags ? { tags: options.tags } : {}),
      },
    });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    return { ticket: handoff.body, conversationId, visitor };
  }

  async function patch(ticketId: string, body: Record<string, unknown>, token = alex.token) {
    const r = await api.call<Ticket>('PATCH', `/api/tickets/${ticketId}`, { token, body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  }

  async function ticket(ticketId: string) {
    return (await api.call<Ticket>('GET', `/api/tickets/${ticketId}`, { token: alex.token })).body;
  }

  async function history(ticketId: string) {
    return (
      await api.call<TicketEvent[]>('GET', `/api/tickets/${ticketId}/events`, { token: alex.token })
    ).body;
  }

  async function feed(conversationId: string, token = alex.token) {
    return (
      await api.call<FeedEntry[]>('GET', `/api/conversations/${conversationId}/events?after=0`, {
        token,
      })
    ).body;
  }

  async function trigger(body: Record<string, unknown>) {
    const r = await api.call('POST', '/api/triggers', { token: admin, body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; name: string };
  }

  async function automation(body: Record<string, unknown>) {
    const r = await api.call('POST', '/api/automations', { token: admin, body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; name: string };
  }

  /** Removes every trigger and automation (each test starts from none). */
  async function clearRules() {
    for (const path of ['/api/triggers', '/api/automations']) {
      const list = (await api.call<{ id: string }[]>('GET', path, { token: admin })).body;
      for (const r of list) await api.call('DELETE', `${path}/${r.id}`, { token: admin });
    }
  }

  /**
   * Jumps the clock and fires every timer that is due (twice: a fired timer may schedule one due
   * now). Staff log in again afterwards, as people do: a jump of days outlives their logins.
   */
  async function jump(ms: number) {
    clock.advance(ms);
    await t.server.timers.runDue();
    await t.server.timers.runDue();
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    alex.token = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    sam.token = await api.login(DEMO_ACCOUNTS.agents[1].email, DEMO_ACCOUNTS.agents[1].password);
  }

  async function say(conversationId: string, token: string, body: string) {
    const r = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token,
      body: { body, kind: 'public' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  }

  return {
    t,
    api,
    clock,
    get admin() {
      return admin;
    },
    alex,
    sam,
    supportId,
    billingId,
    knownVisitor,
    openTicket,
    patch,
    ticket,
    history,
    feed,
    trigger,
    automation,
    clearRules,
    jump,
    say,
    close: () => t.close(),
  };
}

export type RulesBed = Awaited<ReturnType<typeof startRulesBed>>;
