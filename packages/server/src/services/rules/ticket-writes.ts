import {
  DomainError,
  actorId,
  closeOnTicketClosed,
  conditionsMatch,
  decideMessage,
  messagingOpen,
  nextAutomationCheck,
  runTriggers,
  updateTicket,
  type Actor,
  type Automation,
  type AutomationExclusions,
  type Channel,
  type Conversation,
  type EffectAction,
  type Message,
  type MessageKind,
  type Session,
  type Ticket,
  type TicketEvent,
  type TicketEventData,
  type TicketFacts,
  type TicketPatch,
  type Trigger,
  type UpdateComment,
} from '@parlour/core';
import type { FeedEvent } from '@parlour/protocol';
import {
  StaleTicketError,
  appendToFeeds,
  firedAutomations,
  insertTicketEvents,
  loadConversationState,
  loadTicketRuleExtras,
  markReplies,
  saveConversation,
  saveSession,
  saveTicket,
  setRequiredSkills,
  type Audience,
  type Db,
  type StoredTicket,
  type TicketRuleExtras,
} from '@parlour/storage';
import type { DurableTimers } from '../../timers/durable-timers.js';
import { isEmailAddress } from '../outbound/email-outbox.js';
import type { ServiceContext } from '../context.js';
import { appendFeedEvents } from '../conversation-feed.js';
import { assignmentFeedEvents } from '../routing/assignment-feed.js';
import { ticketDto } from '../dto.js';
import type { FeedSignal } from '../feed-publisher.js';
import { messageEntry, ticketEventDto } from '../message-writer.js';
import type { RoutingHooks } from '../routing-hooks.js';
import { factsOf } from './rule-facts.js';
import type { RulePorts, WorkflowEvent } from './rule-ports.js';
import type { ActiveRules, RulesCache } from './rules-cache.js';
import { emailSubject } from '../email/email-subject.js';

export const AUTOMATION_TIMER = 'automation.check';
export const automationTimerKey = (ticketId: string) => `automation:${ticketId}`;

/** What a write inside a transaction leaves to do after commit. */
export interface TicketWriteResult {
  readonly ticket: StoredTicket;
  readonly signals: FeedSignal[];
  readonly afterCommit: () => Promise<void>;
}

export interface AfterUpdateInput {
  readonly conversation: Conversation;
  /** The ticket before the update; null when the update created it. */
  readonly before: StoredTicket | null;
  readonly beforeSession: Session | null;
  /** Required skills before the update, when the update changed them. */
  readonly beforeSkills?: readonly string[];
  /** The ticket as the writer saved it. */
  readonly ticket: StoredTicket;
  readonly session: Session | null;
  readonly requesterEmail: string | null;
  /** The conversation's sequence after the writer's own feed entries. */
  readonly lastSeq: number;
  readonly comment: UpdateComment | null;
  readonly at: Date;
  /** Who opened the conversation (for workflows), when this update created the ticket. */
  readonly source?: 'contact' | 'agent' | 'api';
  /** When routing must hear of the whole change: the ticket as routing last saw it. */
  readonly routingBefore?: Ticket;
}

export interface RuleOutcome {
  readonly ticket: StoredTicket;
  readonly lastSeq: number;
  readonly signals: FeedSignal[];
  readonly afterCommit: (() => Promise<void>)[];
}

interface Working {
  conversation: Conversation;
  session: Session | null;
  ticket: StoredTicket;
  lastSeq: number;
  signals: FeedSignal[];
  requesterEmail: string | null;
}

type RuleRef = { type: 'trigger' | 'automation'; id: string; name: string };

/**
 * Every ticket create and update ends here, inside the writer's transaction (which holds the
 * conversation's lock): triggers run (rules in packages/core/src/rules/, semantics in
 * docs/rules.md), their effects happen (notes, messages, surveys, webhooks), workflows start,
 * the ticket's automation timer moves, and routing hears of the net change.
 */
export class TicketWrites {
  /** Set at wiring time (routing is built later). */
  routing: RoutingHooks | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly cache: RulesCache,
    private readonly timers: DurableTimers,
    readonly ports: RulePorts,
  ) {}

  /** Changes a ticket (locking its conversation), then runs the rules. */
  async change(
    trx: Db,
    input: {
      conversationId: string;
      patch: TicketPatch & { skills?: readonly string[] };
      actor: Actor;
      at: Date;
      extraEvents?: readonly TicketEventData[];
      expectedVersion?: number;
    },
  ): Promise<TicketWriteResult> {
    const { skills, ...patch } = input.patch;
    const { actor, at } = input;
    const state = await loadConversationState(trx, input.conversationId, { lock: true });
    const ticket = state?.ticket;
    if (!state || !ticket) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
    if (input.expectedVersion !== undefined && input.expectedVersion !== ticket.version) {
      throw new DomainError(
        'conflict',
        `The ticket changed since version ${input.expectedVersion} (now ${ticket.version})`,
        'expectedVersion',
      );
    }
    const change = updateTicket(ticket, patch, actor, at);
    const events: TicketEvent[] = [...change.events];
    let beforeSkills: readonly string[] | undefined;
    if (skills !== undefined) {
      const current = (await loadTicketRuleExtras(trx, [ticket.id])).get(ticket.id)?.skills ?? [];
      const next = [...new Set(skills)].sort();
      if (next.join() !== [...current].sort().join()) {
        beforeSkills = current;
        events.push({ type: 'ticket.skills_changed', from: current, to: next, actor, at });
        await setRequiredSkills(trx, ticket.id, next);
      }
    }
    for (const extra of input.extraEvents ?? [])
      events.push({ ...extra, actor, at } as TicketEvent);
    if (events.length === 0) return { ticket, signals: [], afterCommit: async () => {} };
    const saved =
      change.events.length > 0 ? await saveOrConflict(trx, change.ticket, ticket.version) : ticket;
    const closure = closeOnTicketClosed(state.conversation, state.session, saved, actor, at);
    const all = [...events, ...closure.events];
    await insertTicketEvents(trx, saved.id, all);
    if (closure.session && closure.session !== state.session)
      await saveSession(trx, closure.session);
    if (closure.conversation !== state.conversation)
      await saveConversation(trx, closure.conversation, at);
    // Assigned by hand in a live chat: the customer sees the agents change, as with routing.
    const feed = [
      ...(await assignmentFeedEvents(trx, state, ticket.assigneeId, saved.assigneeId)),
      ...changeFeed(saved, all, state.session, closure),
    ];
    const signals = await appendFeedEvents(trx, state.conversation.id, state.lastSeq, feed, at);
    const outcome = await this.afterUpdate(trx, {
      conversation: closure.conversation,
      before: ticket,
      beforeSession: state.session,
      ...(beforeSkills ? { beforeSkills } : {}),
      ticket: saved,
      session: closure.session,
      requesterEmail: state.requesterEmail,
      lastSeq: state.lastSeq + feed.length,
      comment: null,
      at,
      routingBefore: ticket,
    });
    return {
      ticket: outcome.ticket,
      signals: [...signals, ...outcome.signals],
      afterCommit: sequence(outcome.afterCommit),
    };
  }

  /**
   * Posts a message inside the caller's transaction: a public reply goes by messaging while the
   * session is active, by email otherwise (queued for delivery); internal notes stay inside.
   */
  async post(
    trx: Db,
    input: {
      conversationId: string;
      kind: MessageKind;
      body: string;
      actor: Actor;
      at: Date;
      channel?: Channel;
      /** Rules' own messages do not run the rules again. */
      runRules?: boolean;
    },
  ): Promise<TicketWriteResult & { message: Message }> {
    const { actor, at } = input;
    const state = await loadConversationState(trx, input.conversationId, { lock: true });
    if (!state)
      throw new DomainError('conversation/not-found', 'No such conversation', 'conversationId');
    const channel = input.channel ?? replyChannel(state.conversation, state.session, input.kind);
    if (
      input.kind === 'public' &&
      channel === 'email' &&
      state.requesterEmail !== null &&
      !isEmailAddress(state.requesterEmail)
    ) {
      throw new DomainError(
        'requester/no-email',
        `The requester's email address (${state.requesterEmail}) cannot take mail: write an internal note`,
        'channel',
      );
    }
    if (input.kind === 'public' && channel === 'api' && actor.type !== 'end_user')
      await this.ports.apiChannel?.assertCanSend(trx, state.conversation, { template: false }, at);
    const decision = decideMessage(
      state,
      { kind: input.kind, body: input.body, channel },
      actor,
      at,
    );
    const message: Message = {
      id: this.ctx.newId(),
      conversationId: state.conversation.id,
      ticketId: state.ticket?.id ?? null,
      seq: state.lastSeq + 1,
      kind: decision.kind,
      authorType: actor.type,
      authorId: actorId(actor),
      channel: decision.channel,
      body: decision.body,
      clientMessageId: null,
      createdAt: at,
    };
    const signals: FeedSignal[] = [
      { entry: messageEntry(message), audience: message.kind === 'public' ? 'all' : 'staff' },
    ];
    let ticket = state.ticket;
    if (decision.ticketChange && ticket) {
      const saved = await saveOrConflict(trx, decision.ticketChange.ticket, ticket.version);
      await insertTicketEvents(trx, saved.id, decision.ticketChange.events);
      signals.push({
        entry: {
          conversationId: message.conversationId,
          seq: message.seq + 1,
          at: at.toISOString(),
          event: {
            type: 'ticket.updated',
            ticket: ticketDto(saved),
            changes: decision.ticketChange.events.map((e, i) => ticketEventDto(saved.id, e, i)),
          },
        },
        audience: 'staff',
      });
      ticket = saved;
    }
    await appendToFeeds(trx, {
      at,
      seqCounts: new Map([[message.conversationId, signals.length]]),
      messages: [message],
      events: signals
        .filter((s) => s.entry.event.type !== 'message.created')
        .map((s) => ({
          conversationId: s.entry.conversationId,
          seq: s.entry.seq,
          type: s.entry.event.type,
          audience: s.audience,
          data: s.entry.event as unknown as Record<string, unknown>,
          at,
        })),
    });
    if (message.kind === 'public' && message.channel === 'api')
      await this.ports.apiChannel?.queue(trx, state.conversation, message, null, at);
    if (message.kind === 'public' && message.ticketId) {
      await markReplies(
        trx,
        at,
        actor.type === 'user' || actor.type === 'system' ? [message.ticketId] : [],
        actor.type === 'end_user' ? [message.ticketId] : [],
      );
    }
    if (message.kind === 'public' && message.channel === 'email' && state.requesterEmail) {
      await this.ports.email?.enqueue(trx, {
        ticketId: ticket?.id ?? null,
        to: state.requesterEmail,
        subject: emailSubject(ticket),
        text: message.body,
        kind: 'reply',
        at,
      });
    }
    if (!ticket || input.runRules === false) {
      return { message, ticket: ticket!, signals, afterCommit: async () => {} };
    }
    const outcome = await this.afterUpdate(trx, {
      conversation: state.conversation,
      before: state.ticket,
      beforeSession: state.session,
      ticket,
      session: state.session,
      requesterEmail: state.requesterEmail,
      lastSeq: state.lastSeq + signals.length,
      comment: { kind: message.kind, text: message.body, authorType: actor.type },
      at,
    });
    return {
      message,
      ticket: outcome.ticket,
      signals: [...signals, ...outcome.signals],
      afterCommit: sequence(outcome.afterCommit),
    };
  }

  /**
   * Runs the rules after a writer saved its change (still inside its transaction). Returns the
   * ticket as the rules left it, the conversation's new sequence and what to do after commit.
   */
  async afterUpdate(trx: Db, input: AfterUpdateInput): Promise<RuleOutcome> {
    const rules = await this.cache.get(trx);
    const w: Working = {
      conversation: input.conversation,
      session: input.session,
      ticket: input.ticket,
      lastSeq: input.lastSeq,
      signals: [],
      requesterEmail: input.requesterEmail,
    };
    const afterCommit: (() => Promise<void>)[] = [];
    const { at } = input;
    const needsFacts = rules.triggerCount > 0 || rules.automations.length > 0;
    let extras = needsFacts
      ? (await loadTicketRuleExtras(trx, [w.ticket.id])).get(w.ticket.id)
      : undefined;

    if (rules.triggerCount > 0) {
      const after = factsOf(w.ticket, w.session, w.requesterEmail, extras);
      const before = input.before
        ? factsOf(input.before, input.beforeSession, w.requesterEmail, {
            ...(extras ?? emptyExtras),
            skills: input.beforeSkills ?? extras?.skills ?? [],
          })
        : null;
      const run = runTriggers(rules.triggers, { before, after, comment: input.comment, at });
      if (run.firings.length > 0) {
        const effects = run.firings.flatMap((f) =>
          f.effects.map((action) => ({ rule: ruleOf(f.trigger), action })),
        );
        await this.commitRuleChanges(trx, w, run.after, run.events, effects, at);
        if (run.after.skills.join() !== (extras?.skills ?? []).join()) {
          extras = { ...(extras ?? emptyExtras), skills: run.after.skills };
        }
      }
    }

    if (rules.workflowTriggers.size > 0) await this.startWorkflows(trx, input, w, at, rules);

    if (rules.automations.length > 0) {
      await this.scheduleAutomations(trx, rules, w, extras, at);
    }

    const routingBefore = input.routingBefore ?? input.ticket;
    if (this.routing && (input.routingBefore || w.ticket !== input.ticket)) {
      afterCommit.push(await this.routing.ticketChanged(trx, routingBefore, w.ticket, at));
    }
    return { ticket: w.ticket, lastSeq: w.lastSeq, signals: w.signals, afterCommit };
  }

  /**
   * Applies what a rule decided: saves the ticket, records the events (the firing itself first),
   * closes the conversation when the ticket closed, and carries out the rule's other actions.
   */
  async commitRuleChanges(
    trx: Db,
    w: Working,
    facts: TicketFacts,
    events: readonly TicketEvent[],
    effects: readonly { rule: RuleRef; action: EffectAction }[],
    at: Date,
  ): Promise<void> {
    const before = w.ticket;
    let saved = before;
    if (facts.ticket.version !== before.version) {
      saved = await saveOrConflict(trx, facts.ticket, before.version);
    }
    const skillsEvent = events.find((e) => e.type === 'ticket.skills_changed');
    if (skillsEvent) await setRequiredSkills(trx, saved.id, facts.skills);
    const actor: Actor = { type: 'system', reason: 'rules' };
    const closure = closeOnTicketClosed(w.conversation, w.session, saved, actor, at);
    const all = [...events, ...closure.events];
    await insertTicketEvents(trx, saved.id, all);
    if (closure.session && closure.session !== w.session) await saveSession(trx, closure.session);
    if (closure.conversation !== w.conversation)
      await saveConversation(trx, closure.conversation, at);
    const feed = changeFeed(saved, all, w.session, closure);
    w.signals.push(...(await appendFeedEvents(trx, w.conversation.id, w.lastSeq, feed, at)));
    w.lastSeq += feed.length;
    w.ticket = saved;
    w.conversation = closure.conversation;
    w.session = closure.session;
    for (const { rule, action } of effects) {
      const failure = await this.runEffect(trx, w, rule, action, at).catch((error: unknown) => {
        if (error instanceof DomainError) return error.message;
        throw error;
      });
      if (failure) {
        const event: TicketEvent = {
          type: 'rule.action_failed',
          ruleType: rule.type,
          ruleId: rule.id,
          name: rule.name,
          action: action.type,
          reason: failure,
          actor,
          at,
        };
        await insertTicketEvents(trx, saved.id, [event]);
      }
    }
  }

  /** Carries out one action that is not a field change; returns why it could not, if it could not. */
  private async runEffect(
    trx: Db,
    w: Working,
    rule: RuleRef,
    action: EffectAction,
    at: Date,
  ): Promise<string | null> {
    const actor: Actor = { type: 'system', reason: `${rule.type}: ${rule.name}` };
    switch (action.type) {
      case 'add_note':
      case 'send_message': {
        const kind = action.type === 'add_note' ? 'internal' : 'public';
        const channel = replyChannel(w.conversation, w.session, kind);
        if (kind === 'public' && channel === 'email' && !w.requesterEmail) {
          return 'The messaging session has ended and the requester has no known email address';
        }
        const posted = await this.post(trx, {
          conversationId: w.conversation.id,
          kind,
          body: action.body,
          actor,
          at,
          channel,
          runRules: false,
        });
        w.signals.push(...posted.signals);
        w.lastSeq = posted.message.seq + (posted.signals.length - 1);
        w.ticket = posted.ticket ?? w.ticket;
        return null;
      }
      case 'send_csat': {
        if (!this.ports.csat) return 'Satisfaction surveys are not available';
        const sent = await this.ports.csat.send(trx, {
          ticketId: w.ticket.id,
          conversationId: w.conversation.id,
          lastSeq: w.lastSeq,
          at,
          actor,
        });
        w.signals.push(...sent.signals);
        w.lastSeq = sent.lastSeq;
        return sent.failure ?? null;
      }
      case 'webhook': {
        if (!this.ports.webhooks) return 'Webhooks are not available';
        await this.ports.webhooks.enqueue(trx, {
          ticketId: w.ticket.id,
          url: action.url,
          payload: {
            event: `${rule.type}.fired`,
            rule: { type: rule.type, id: rule.id, name: rule.name },
            ticket: ticketDto(w.ticket),
            at: at.toISOString(),
          },
          ruleType: rule.type,
          ruleId: rule.id,
          ruleName: rule.name,
          at,
        });
        return null;
      }
    }
  }

  private async startWorkflows(
    trx: Db,
    input: AfterUpdateInput,
    w: Working,
    at: Date,
    rules: ActiveRules,
  ): Promise<void> {
    const starter = this.ports.workflows;
    if (!starter) return;
    const events: WorkflowEvent[] = [];
    if (input.before === null)
      events.push({ type: 'conversation_opened', source: input.source ?? 'contact' });
    if (input.comment?.authorType === 'end_user') events.push({ type: 'incoming_message' });
    const added = w.ticket.tags.filter((t) => !(input.before?.tags ?? []).includes(t));
    if (added.length > 0) events.push({ type: 'tag_added', tags: added });
    if (
      w.conversation.state === 'closed' &&
      input.before !== null &&
      input.before.status !== 'closed'
    )
      events.push({ type: 'conversation_closed' });
    for (const event of events) {
      if (!rules.workflowTriggers.has(event.type)) continue;
      await starter.start(trx, {
        event,
        conversationId: w.conversation.id,
        ticketId: w.ticket.id,
        at,
        ...(input.comment ? { comment: input.comment } : {}),
      });
    }
  }

  /** Moves the ticket's one automation timer to the next moment an automation could apply. */
  async scheduleAutomations(
    trx: Db,
    rules: ActiveRules,
    w: { ticket: StoredTicket; session: Session | null; requesterEmail: string | null },
    extras: TicketRuleExtras | undefined,
    at: Date,
    exclusions: AutomationExclusions = {},
  ): Promise<void> {
    const key = automationTimerKey(w.ticket.id);
    if (w.ticket.status === 'closed') {
      await this.timers.cancel({ key }, trx);
      return;
    }
    const fresh = extras ?? (await loadTicketRuleExtras(trx, [w.ticket.id])).get(w.ticket.id);
    const facts = factsOf(w.ticket, w.session, w.requesterEmail, fresh);
    const fired = rules.anyOncePerTicket
      ? ((await firedAutomations(trx, [w.ticket.id])).get(w.ticket.id) ?? new Set<string>())
      : new Set<string>();
    const due = nextAutomationCheck(rules.automations, facts, at, fired, exclusions);
    if (due) {
      await this.timers.schedule(
        due,
        AUTOMATION_TIMER,
        { ticketId: w.ticket.id },
        { key, db: trx },
      );
    } else {
      await this.timers.cancel({ key }, trx);
    }
  }

  /** For the automation runner: a working copy of a locked conversation's ticket. */
  working(
    conversation: Conversation,
    session: Session | null,
    ticket: StoredTicket,
    lastSeq: number,
    requesterEmail: string | null,
  ): Working {
    return { conversation, session, ticket, lastSeq, signals: [], requesterEmail };
  }

  /** Whether an automation still applies to these facts at `at` (it may have stopped since it was due). */
  static stillApplies(automation: Automation, facts: TicketFacts, at: Date): boolean {
    return conditionsMatch(automation.conditions, {
      before: facts,
      after: facts,
      comment: null,
      at,
    });
  }
}

export type { Working as TicketWorking };

const emptyExtras: TicketRuleExtras = {
  skills: [],
  statusChangedAt: null,
  lastAgentReplyAt: null,
  lastCustomerMessageAt: null,
};

function ruleOf(trigger: Trigger): RuleRef {
  return { type: 'trigger', id: trigger.id, name: trigger.name };
}

async function saveOrConflict(trx: Db, ticket: Ticket, version: number): Promise<StoredTicket> {
  return saveTicket(trx, ticket, version).catch((error: unknown) => {
    if (error instanceof StaleTicketError)
      throw new DomainError('conflict', 'The ticket changed meanwhile; try again', 'ticketId');
    throw error;
  });
}

/** Public replies go by messaging while the session is active, by email once it has ended. */
export function replyChannel(
  conversation: Conversation,
  session: Session | null,
  kind: MessageKind,
): Channel {
  if (kind === 'internal' || conversation.channel !== 'messaging') return conversation.channel;
  return messagingOpen({ conversation, session, ticket: null, requesterEmail: null })
    ? 'messaging'
    : 'email';
}

function changeFeed(
  saved: StoredTicket,
  events: readonly TicketEvent[],
  sessionBefore: Session | null,
  closure: { conversation: Conversation; session: Session | null },
): { event: FeedEvent; audience: Audience }[] {
  const feed: { event: FeedEvent; audience: Audience }[] = [
    {
      event: {
        type: 'ticket.updated',
        ticket: ticketDto(saved),
        changes: events.map((e, i) => ticketEventDto(saved.id, e, i)),
      },
      audience: 'staff',
    },
  ];
  if (closure.session && closure.session !== sessionBefore)
    feed.push({ event: { type: 'session.ended', reason: 'ticket_closed' }, audience: 'all' });
  if (
    closure.conversation.state === 'closed' &&
    events.some((e) => e.type === 'ticket.status_changed' && e.to === 'closed')
  )
    feed.push({ event: { type: 'conversation.closed' }, audience: 'all' });
  return feed;
}

function sequence(fns: readonly (() => Promise<void>)[]): () => Promise<void> {
  return async () => {
    for (const fn of fns) await fn();
  };
}
