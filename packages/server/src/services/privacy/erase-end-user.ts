import { DomainError } from '@parlour/core';
import type { ErasureSummary } from '@parlour/protocol';
import {
  endUserFootprint,
  eraseEndUserRows,
  getEndUserSummary,
  loadConversationStates,
  type ErasedOffer,
  type Schema,
} from '@parlour/storage';
import type { Transaction } from 'kysely';
import type { FileStorage } from '../../files/file-storage.js';
import type { ServiceContext } from '../context.js';
import { publishFeed, type FeedSignal } from '../feed-publisher.js';
import { publishToUser } from '../routing/user-topic.js';

/** What the rest of the server does once an end user is gone (wired in server.ts). */
export interface ErasureHooks {
  /** Their assigned or queued tickets no longer count against anyone's capacity. */
  readonly kickRouting: () => void;
  /** Forget cached principals of their widget tokens in this process. */
  readonly forgetEndUser: (endUserId: string) => void;
}

/** Deleting a file is tried this often before it is logged as left behind. */
const FILE_TRIES = 3;

/** A conversation that kept growing while we locked it is retried this often before giving up. */
const ATTEMPTS = 5;

/**
 * GDPR erasure (article 17) of an end user: every row that is theirs, in one transaction, under
 * their conversations' row locks (taken first, in id order, as every conversation writer does),
 * then their end_users row lock. It always works, even while a chat is live: the session is not
 * "ended" first, because ending runs triggers that could email or survey the very person being
 * erased; their rows simply go, and open screens are told the conversation closed.
 *
 * Every table of packages/storage/src/migrations, and what happens to it:
 *
 * 001-foundation
 * - settings .................. workspace settings; nothing of an end user. Kept.
 * - users, groups, group_members, auth_sessions, api_tokens: staff. Kept.
 * - end_users ................. their row: deleted, last.
 * - conversations ............. theirs (end_user_id), and those of tickets they requested: deleted.
 * - sessions .................. of those conversations: deleted.
 * - tickets ................... requester_id = them (subject, tags): deleted.
 * - ticket_events ............. of their tickets (changes, CSAT answers, rule firings): deleted.
 * - messages .................. every message of their conversations and tickets, internal notes
 *                               included: deleted.
 * - conversation_events ....... their conversations' feed events (ticket snapshots too): deleted.
 * - timers .................... those whose key ('automation:<ticketId>', 'offer:<ticketId>',
 *                               'relax:', 'overflow:', 'first-reply:', 'workflow:<runId>',
 *                               'webhook:<deliveryId>') or payload (ticketId, conversationId,
 *                               runId, deliveryId, offerId, endUserId) names what is erased:
 *                               deleted. A timer claimed by a firing batch at that moment is left
 *                               to it (its handler finds nothing and the batch deletes it). The
 *                               automation rescan's cursor ('automation-rescan', {after: ticketId})
 *                               may keep a bare ticket id: it is a position, not personal data.
 * - schema_migrations ......... nothing of anyone. Kept.
 * 002-routing
 * - skills, agent_skills, idle_reasons, agent_states, agent_status_events, agent_connections:
 *                               staff. Kept.
 * - offers .................... of their tickets: deleted (pending ones' agents are told).
 * - conversation_participants . conference guests of their conversations: deleted.
 * 003-rules
 * - triggers, automations ..... configuration. Kept (a condition naming their email would be an
 *                               admin's own text: not found by id, so it is the admin's to edit).
 * - automation_firings ........ of their tickets: deleted.
 * 004-agent-tools
 * - macros, predefined_responses, wrap_up_reasons: configuration. Kept.
 * - ticket_wrap_ups ........... of their tickets: deleted.
 * 005-csat-outbox
 * - csat_surveys .............. of their tickets or conversations (ratings, comments): deleted.
 * - outbound_emails ........... of their tickets, and ticketless ones to their address: deleted.
 *                               (ticket_id is ON DELETE SET NULL: deleted before the tickets.)
 * - webhook_deliveries ........ of their tickets (payloads carry the ticket): deleted.
 * 006-workflows
 * - workflows, workflow_versions, workflow_cursors: configuration (a cursor holds an agent id). Kept.
 * - workflow_runs ............. on their conversations or tickets (context holds their message):
 *                               deleted.
 * - workflow_run_steps ........ of those runs: deleted.
 * 007-attachments
 * - attachments ............... theirs (end_user_id), in their conversations or on their messages:
 *                               rows deleted in the transaction; the files in the file store after
 *                               commit (a file that will not go is retried, then logged by key so an
 *                               operator can sweep the store: FileStorage.keys() minus the rows).
 * 008-audit-log
 * - audit_log ................. staff's configuration changes; append-only by design. It records
 *                               this erasure by the erased id (who erased whom, when): nothing else
 *                               of the person is in it.
 * 010-reads
 * - conversation_reads ........ how far they and the staff read their conversations: deleted with
 *                               the conversations (ON DELETE CASCADE).
 * 009-bot
 * - bot_flows, bot_articles ... configuration. Kept.
 * - bot_conversation_states ... of their conversations (what the bot collected): deleted with the
 *                               conversations (ON DELETE CASCADE). Their 'bot:<conversationId>'
 *                               timers go with the timers above.
 * 012-api-channel
 * - api_inboxes ............... configuration. Kept.
 * - api_contacts .............. their external id on an inbox: deleted with the end user (ON DELETE
 *                               CASCADE).
 * - api_inbound_receipts ...... answers to their messages' Idempotency-Keys: deleted with the
 *                               conversations (ON DELETE CASCADE).
 * - api_deliveries ............ outbound messages to them (payloads carry the text): deleted with
 *                               the conversations (ON DELETE CASCADE); their 'api-delivery:' timers
 *                               find nothing and end.
 * - api_inbound_signatures .... signatures seen within the replay window: nothing of anyone.
 */
export async function eraseEndUser(
  ctx: ServiceContext,
  hooks: ErasureHooks,
  files: FileStorage,
  endUserId: string,
): Promise<ErasureSummary> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await inOneTransaction(ctx, attempt, async (trx) => {
      const seen = await endUserFootprint(trx, endUserId);
      const locked = await loadConversationStates(trx, seen.conversationIds, { lock: true });
      // Holding their row keeps new conversations and tickets of theirs out until we commit.
      if (!(await getEndUserSummary(trx, endUserId, { lock: true }))) return null;
      const footprint = await endUserFootprint(trx, endUserId);
      // A conversation started between the first read and the lock: start again, locking it too
      // in id order (locking it now, out of order, could deadlock with its writer).
      if (footprint.conversationIds.some((id) => !locked.has(id))) return 'again' as const;
      const rows = await eraseEndUserRows(trx, endUserId, footprint);
      return { rows, locked, erasedAt: ctx.clock.now() };
    });
    if (outcome === null) throw new DomainError('not-found', 'No such end user', 'endUserId');
    if (outcome === 'again') {
      if (attempt < ATTEMPTS) continue;
      throw new DomainError(
        'conflict',
        'The end user keeps starting conversations; try again',
        'endUserId',
      );
    }
    const closed: FeedSignal[] = [...outcome.locked.values()].map((state) => ({
      entry: {
        conversationId: state.conversation.id,
        seq: state.lastSeq + 1,
        at: outcome.erasedAt.toISOString(),
        event: { type: 'conversation.closed' },
      },
      audience: 'all',
    }));
    await afterCommit(ctx, hooks, endUserId, closed, outcome.rows.pendingOffers);
    const removed = await deleteFiles(ctx, files, endUserId, outcome.rows.storageKeys);
    ctx.logger.info(
      { endUserId, deleted: outcome.rows.deleted, files: removed },
      'end user erased',
    );
    return {
      endUserId,
      erasedAt: outcome.erasedAt.toISOString(),
      deleted: outcome.rows.deleted,
      files: removed,
    };
  }
}

/**
 * Runs the erasure's transaction. A deadlock PostgreSQL broke (40P01) — a timer batch holding a
 * webhook delivery while it waits for one of these conversations — means the same: try again.
 */
async function inOneTransaction<T>(
  ctx: ServiceContext,
  attempt: number,
  work: (trx: Transaction<Schema>) => Promise<T>,
): Promise<T | 'again'> {
  try {
    return await ctx.database.db.transaction().execute(work);
  } catch (err) {
    if ((err as { code?: unknown }).code === '40P01' && attempt < ATTEMPTS) return 'again';
    throw err;
  }
}

/** Signals only: open screens drop the conversation and the offer; nothing of the person travels. */
async function afterCommit(
  ctx: ServiceContext,
  hooks: ErasureHooks,
  endUserId: string,
  closed: readonly FeedSignal[],
  offers: readonly ErasedOffer[],
): Promise<void> {
  hooks.forgetEndUser(endUserId);
  hooks.kickRouting();
  try {
    await publishFeed(ctx.bus, closed);
    await Promise.all(
      offers.map((o) =>
        publishToUser(ctx.bus, o.agentId, {
          type: 'offer.closed',
          offerId: o.offerId,
          ticketId: o.ticketId,
          outcome: 'withdrawn',
        }),
      ),
    );
  } catch (err) {
    // The erasure is committed; a lost signal only leaves a stale screen until its next read.
    ctx.logger.warn({ err, endUserId }, 'erasure signals not published');
  }
}

/** The erased attachments' bytes, after commit (a rollback must not have lost them). */
async function deleteFiles(
  ctx: ServiceContext,
  files: FileStorage,
  endUserId: string,
  keys: readonly string[],
): Promise<{ deleted: number; failed: number }> {
  if (keys.length === 0) return { deleted: 0, failed: 0 };
  let deleted = 0;
  for (const key of keys) {
    let lastError: unknown;
    for (let attempt = 1; attempt <= FILE_TRIES; attempt++) {
      try {
        await files.delete(key);
        lastError = undefined;
        break;
      } catch (err) {
        lastError = err;
      }
    }
    if (lastError === undefined) deleted++;
    else
      ctx.logger.error(
        { err: lastError, endUserId, key },
        'erased attachment file not deleted: remove it from the file store',
      );
  }
  return { deleted, failed: keys.length - deleted };
}
