import { DomainError, renderPlaceholders, validatePlaceholders } from '@parlour/core';
import type {
  CreateResponseBody,
  PredefinedResponse,
  RenderedResponse,
  ResponseSearchQuery,
  UpdateResponseBody,
} from '@parlour/protocol';
import {
  deleteResponse,
  getGroup,
  getResponse,
  getTicket,
  insertResponse,
  isUniqueViolation,
  responseShortcutTaken,
  searchResponses,
  updateResponse,
  type Db,
  type StoredResponse,
} from '@parlour/storage';
import type { Principal } from '../../principal.js';
import type { ServiceContext } from '../context.js';
import { placeholderValues } from './placeholder-values.js';

/**
 * Predefined chat responses: admins keep the list; agents search it while chatting and get each
 * text filled in for the ticket (requester's name…) and themselves, ready to edit and send.
 */
export class ResponseService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Title, shortcut or text containing `q`, case-insensitive. With a ticket: only responses for
   * every group or for the ticket's group, with placeholders filled for that ticket.
   */
  async search(
    principal: Principal & { kind: 'user' },
    query: ResponseSearchQuery,
  ): Promise<RenderedResponse[]> {
    const db = this.ctx.database.db;
    const ticket = query.ticketId ? await getTicket(db, query.ticketId) : null;
    if (query.ticketId && !ticket)
      throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
    const found = await searchResponses(db, {
      // Agents type a shortcut the way they would in the composer: "/refund".
      ...(query.q !== undefined ? { q: query.q.trim().replace(/^\/+/, '') } : {}),
      ...(ticket ? { groupId: ticket.groupId } : {}),
      limit: query.limit ?? 20,
    });
    const values = await placeholderValues(db, ticket, principal.id);
    return found.map((r) => ({ ...responseDto(r), text: renderPlaceholders(r.body, values) }));
  }

  async create(body: CreateResponseBody): Promise<PredefinedResponse> {
    const id = this.ctx.newId();
    const fields = {
      title: cleanTitle(body.title),
      shortcut: cleanShortcut(body.shortcut ?? null),
      body: cleanBody(body.body),
      groupId: body.groupId ?? null,
    };
    await this.ctx.database.db.transaction().execute(async (trx) => {
      await this.checkReferences(trx, fields.groupId, fields.shortcut);
      await insertResponse(trx, { ...fields, id, at: this.ctx.clock.now() }).catch(uniqueShortcut);
    });
    return this.get(id);
  }

  async update(id: string, body: UpdateResponseBody): Promise<PredefinedResponse> {
    const patch = {
      ...(body.title !== undefined ? { title: cleanTitle(body.title) } : {}),
      ...(body.shortcut !== undefined ? { shortcut: cleanShortcut(body.shortcut) } : {}),
      ...(body.body !== undefined ? { body: cleanBody(body.body) } : {}),
      ...(body.groupId !== undefined ? { groupId: body.groupId } : {}),
    };
    await this.ctx.database.db.transaction().execute(async (trx) => {
      if (!(await getResponse(trx, id))) throw notFound();
      await this.checkReferences(trx, patch.groupId ?? null, patch.shortcut ?? null, id);
      await updateResponse(trx, id, patch, this.ctx.clock.now()).catch(uniqueShortcut);
    });
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    if (!(await deleteResponse(this.ctx.database.db, id))) throw notFound();
  }

  private async get(id: string): Promise<PredefinedResponse> {
    const r = await getResponse(this.ctx.database.db, id);
    if (!r) throw notFound();
    return responseDto(r);
  }

  private async checkReferences(
    trx: Db,
    groupId: string | null,
    shortcut: string | null,
    exceptId?: string,
  ): Promise<void> {
    if (groupId && !(await getGroup(trx, groupId)))
      throw new DomainError('validation/invalid', 'No such group', 'groupId');
    if (shortcut && (await responseShortcutTaken(trx, shortcut, exceptId))) throw shortcutTaken();
  }
}

function responseDto(r: StoredResponse): PredefinedResponse {
  return {
    id: r.id,
    title: r.title,
    shortcut: r.shortcut,
    body: r.body,
    groupId: r.groupId,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function cleanTitle(raw: string): string {
  const title = raw.trim();
  if (!title) throw new DomainError('validation/invalid', 'A response needs a title', 'title');
  return title;
}

/** Shortcuts are kept as typed, without a leading "/" (agents type "/refund" or "refund"). */
function cleanShortcut(raw: string | null): string | null {
  if (raw === null) return null;
  const shortcut = raw.trim().replace(/^\/+/, '');
  if (!shortcut)
    throw new DomainError('validation/invalid', 'A shortcut needs a letter or digit', 'shortcut');
  return shortcut;
}

function cleanBody(raw: string): string {
  if (!raw.trim()) throw new DomainError('validation/invalid', 'A response needs a text', 'body');
  validatePlaceholders(raw, 'body');
  return raw;
}

const notFound = () => new DomainError('not-found', 'No such response', 'responseId');
const shortcutTaken = () =>
  new DomainError('conflict', 'Another response has this shortcut', 'shortcut');

function uniqueShortcut(error: unknown): never {
  throw isUniqueViolation(error) ? shortcutTaken() : error;
}
