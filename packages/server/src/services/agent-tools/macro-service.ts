import {
  DomainError,
  renderPlaceholders,
  ticketPatchOf,
  updateTicket,
  validatePlaceholders,
  type Message,
  type TicketEventData,
  type TicketPatch,
} from '@parlour/core';
import type {
  AppliedMacro,
  ApplyMacroBody,
  CreateMacroBody,
  Macro,
  MacroAction,
  MacroPreview,
  UpdateMacroBody,
} from '@parlour/protocol';
import {
  deleteMacro,
  getGroup,
  getMacro,
  getTicket,
  getUser,
  insertMacro,
  isUniqueViolation,
  listMacros,
  loadConversationState,
  macroTitleTaken,
  updateMacro,
  type Db,
  type StoredMacro,
  type StoredTicket,
} from '@parlour/storage';
import type { Principal } from '../../principal.js';
import { actorOf } from '../../principal.js';
import type { ServiceContext } from '../context.js';
import { messageDto, ticketDto } from '../dto.js';
import { publishFeed, type FeedSignal } from '../feed-publisher.js';
import { ticketEventDto } from '../message-writer.js';
import { checkMacroReferences, parseMacroActions, type MacroFieldAction } from './macro-actions.js';
import type { TicketWrites } from '../rules/ticket-writes.js';
import { placeholderValues } from './placeholder-values.js';

type Staff = Principal & { kind: 'user' };

/** The ticket writes a macro needs. */
export type MacroTicketWrites = Pick<TicketWrites, 'change' | 'post'>;

/**
 * Macros: field actions plus a standard text. Shared macros are for every staff member and only
 * admins manage them; personal macros are seen and managed by their owner alone (for anyone else
 * they do not exist). Applying one changes the ticket and posts the text in one transaction, and
 * the ticket's history says which macro did it.
 */
export class MacroService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly writes: MacroTicketWrites,
  ) {}

  /** Shared macros, then the caller's own. */
  async list(principal: Staff): Promise<Macro[]> {
    return (await listMacros(this.ctx.database.db, { ownerId: principal.id })).map(macroDto);
  }

  async get(principal: Staff, id: string): Promise<Macro> {
    return macroDto(await this.visible(this.ctx.database.db, principal, id));
  }

  async create(principal: Staff, body: CreateMacroBody): Promise<Macro> {
    const shared = body.shared ?? false;
    if (shared && principal.role !== 'admin')
      throw new DomainError('auth/forbidden', 'Only admins create shared macros', 'shared');
    const ownerId = shared ? null : principal.id;
    const fields = {
      title: cleanTitle(body.title),
      body: cleanBody(body.body ?? null),
      bodyKind: body.bodyKind ?? ('public' as const),
      actions: parseMacroActions(body.actions ?? []),
      active: body.active ?? true,
      position: body.position ?? 0,
    };
    assertSomething(fields.body, fields.actions);
    const id = this.ctx.newId();
    await this.ctx.database.db.transaction().execute(async (trx) => {
      await checkMacroReferences(trx, fields.actions);
      if (await macroTitleTaken(trx, fields.title, ownerId)) throw titleTaken();
      await insertMacro(trx, { ...fields, id, ownerId, at: this.ctx.clock.now() }).catch(
        uniqueTitle,
      );
    });
    return this.get(principal, id);
  }

  async update(principal: Staff, id: string, body: UpdateMacroBody): Promise<Macro> {
    const patch = {
      ...(body.title !== undefined ? { title: cleanTitle(body.title) } : {}),
      ...(body.body !== undefined ? { body: cleanBody(body.body) } : {}),
      ...(body.bodyKind !== undefined ? { bodyKind: body.bodyKind } : {}),
      ...(body.actions !== undefined ? { actions: parseMacroActions(body.actions) } : {}),
      ...(body.active !== undefined ? { active: body.active } : {}),
      ...(body.position !== undefined ? { position: body.position } : {}),
    };
    await this.ctx.database.db.transaction().execute(async (trx) => {
      const macro = await this.manageable(trx, principal, id);
      assertSomething(
        patch.body !== undefined ? patch.body : macro.body,
        patch.actions ?? macro.actions,
      );
      if (patch.actions) await checkMacroReferences(trx, patch.actions);
      if (patch.title && (await macroTitleTaken(trx, patch.title, macro.ownerId, id)))
        throw titleTaken();
      await updateMacro(trx, id, patch, this.ctx.clock.now()).catch(uniqueTitle);
    });
    return this.get(principal, id);
  }

  async remove(principal: Staff, id: string): Promise<void> {
    await this.ctx.database.db.transaction().execute(async (trx) => {
      await this.manageable(trx, principal, id);
      await deleteMacro(trx, id);
    });
  }

  /** What the macro would change on the ticket and its text filled in; nothing is written. */
  async preview(principal: Staff, ticketId: string, macroId: string): Promise<MacroPreview> {
    const db = this.ctx.database.db;
    const macro = await this.visible(db, principal, macroId);
    const ticket = await getTicket(db, ticketId);
    if (!ticket) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
    const actions = macro.actions as MacroFieldAction[];
    const patch = ticketPatchOf(actions);
    await checkPatchReferences(db, patch, ticket);
    const change = updateTicket(ticket, patch, actorOf(principal), this.ctx.clock.now());
    const values = await placeholderValues(db, ticket, principal.id);
    return {
      ticket: ticketDto({ ...change.ticket, number: ticket.number }),
      changes: change.events.map((e, i) => ticketEventDto(ticket.id, e, i)),
      text: macro.body !== null ? renderPlaceholders(macro.body, values) : null,
      kind: macro.bodyKind,
    };
  }

  /**
   * Posts the text (the agent's edited version when given; empty: no message), then applies the
   * field actions, in one transaction under the conversation's lock, and records a 'rule.fired'
   * event naming the macro. The text goes first so the macro's status is the one that stays.
   */
  async apply(
    principal: Staff,
    ticketId: string,
    macroId: string,
    body: ApplyMacroBody,
  ): Promise<AppliedMacro> {
    const { database, clock } = this.ctx;
    const actor = actorOf(principal);
    const at = clock.now();
    const macro = await this.visible(database.db, principal, macroId);
    if (!macro.active) throw new DomainError('conflict', 'This macro is turned off', 'macroId');
    if (body.body !== undefined) validatePlaceholders(body.body, 'body');
    const template = body.body ?? macro.body;
    const kind = body.kind ?? macro.bodyKind;
    const actions = macro.actions as MacroFieldAction[];
    const patch = ticketPatchOf(actions);

    const result = await database.db.transaction().execute(async (trx) => {
      const found = await getTicket(trx, ticketId);
      if (!found) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
      const state = await loadConversationState(trx, found.conversationId, { lock: true });
      if (!state?.ticket) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
      await checkPatchReferences(trx, patch, state.ticket);
      const values = await placeholderValues(trx, state.ticket, principal.id);
      const text = template !== null ? renderPlaceholders(template, values) : '';
      const signals: FeedSignal[] = [];
      const afterCommits: (() => Promise<void>)[] = [];
      let message: Message | null = null;
      if (text.trim() !== '') {
        const posted = await this.writes.post(trx, {
          conversationId: found.conversationId,
          kind,
          body: text,
          actor,
          at,
        });
        message = posted.message;
        signals.push(...posted.signals);
        afterCommits.push(posted.afterCommit);
      }
      const fired: TicketEventData = {
        type: 'rule.fired',
        ruleType: 'macro',
        ruleId: macro.id,
        name: macro.title,
        actions: [
          ...(message ? [kind === 'public' ? 'send_message' : 'add_note'] : []),
          ...actions.map((a) => a.type),
        ],
      };
      const changed = await this.writes.change(trx, {
        conversationId: found.conversationId,
        patch,
        actor,
        at,
        extraEvents: [fired],
      });
      signals.push(...changed.signals);
      afterCommits.push(changed.afterCommit);
      return { ticket: changed.ticket, message, signals, afterCommits };
    });
    await publishFeed(this.ctx.bus, result.signals);
    for (const afterCommit of result.afterCommits) await afterCommit();
    return {
      ticket: ticketDto(result.ticket),
      message: result.message ? messageDto(result.message) : null,
    };
  }

  /** A macro the caller may see: shared, or their own (anyone else's is "not found"). */
  private async visible(db: Db, principal: Staff, id: string): Promise<StoredMacro> {
    const macro = await getMacro(db, id);
    if (!macro || (macro.ownerId !== null && macro.ownerId !== principal.id))
      throw new DomainError('not-found', 'No such macro', 'macroId');
    return macro;
  }

  /** A macro the caller may change: their own, or a shared one when they are an admin. */
  private async manageable(db: Db, principal: Staff, id: string): Promise<StoredMacro> {
    const macro = await this.visible(db, principal, id);
    if (macro.ownerId === null && principal.role !== 'admin')
      throw new DomainError('auth/forbidden', 'Only admins change shared macros', 'macroId');
    return macro;
  }
}

/**
 * The groups and assignee the patch names still exist, and the assignee belongs to the group the
 * ticket will be in (the same rules as a ticket update).
 */
async function checkPatchReferences(db: Db, patch: TicketPatch, ticket: StoredTicket) {
  if (patch.groupId && !(await getGroup(db, patch.groupId)))
    throw new DomainError('validation/invalid', 'The group this macro sets is gone', 'actions');
  const groupId = patch.groupId !== undefined ? patch.groupId : ticket.groupId;
  const assigneeId = patch.assigneeId !== undefined ? patch.assigneeId : ticket.assigneeId;
  if (!assigneeId || (patch.assigneeId === undefined && patch.groupId === undefined)) return;
  const assignee = await getUser(db, assigneeId);
  if (patch.assigneeId && (!assignee || !assignee.active)) {
    throw new DomainError(
      'validation/invalid',
      'The agent this macro assigns is no longer active',
      'actions',
    );
  }
  if (groupId && assignee && !assignee.groupIds.includes(groupId)) {
    throw new DomainError(
      'validation/invalid',
      "The assignee would not be a member of the ticket's group",
      'actions',
    );
  }
}

function macroDto(m: StoredMacro): Macro {
  return {
    id: m.id,
    title: m.title,
    body: m.body,
    bodyKind: m.bodyKind,
    actions: m.actions as MacroAction[],
    shared: m.ownerId === null,
    ownerId: m.ownerId,
    active: m.active,
    position: m.position,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

function cleanTitle(raw: string): string {
  const title = raw.trim();
  if (!title) throw new DomainError('validation/invalid', 'A macro needs a title', 'title');
  return title;
}

/** A text of only spaces is no text; placeholders must be known ones. */
function cleanBody(raw: string | null): string | null {
  if (raw === null || raw.trim() === '') return null;
  validatePlaceholders(raw, 'body');
  return raw;
}

function assertSomething(body: string | null, actions: readonly unknown[]): void {
  if (body === null && actions.length === 0)
    throw new DomainError('validation/invalid', 'A macro needs a text or an action', 'body');
}

const titleTaken = () => new DomainError('conflict', 'A macro with this title exists', 'title');

function uniqueTitle(error: unknown): never {
  throw isUniqueViolation(error) ? titleTaken() : error;
}
