import type { Actor, UpdateComment } from '@parlour/core';
import type { Db } from '@parlour/storage';
import type { FeedSignal } from '../feed-publisher.js';
import type { OutboundChannelHook } from '../outbound-channel.js';

/**
 * What rule actions need from the outbound side (surveys, webhooks, email) and from workflows.
 * The rule pipeline calls them inside its transaction; each is wired in server.ts.
 */
export interface CsatSender {
  send(
    trx: Db,
    input: {
      ticketId: string;
      conversationId: string;
      lastSeq: number;
      at: Date;
      actor: Actor;
    },
  ): Promise<{ signals: FeedSignal[]; lastSeq: number; failure?: string | null }>;
}

export interface WebhookQueue {
  enqueue(
    trx: Db,
    input: {
      ticketId: string | null;
      url: string;
      payload: Record<string, unknown>;
      ruleType: 'trigger' | 'automation' | 'workflow' | 'macro';
      ruleId: string;
      ruleName: string;
      at: Date;
    },
  ): Promise<unknown>;
}

export interface EmailQueue {
  enqueue(
    trx: Db,
    input: {
      ticketId: string | null;
      to: string;
      subject: string;
      text: string;
      kind: 'reply' | 'csat' | 'notification';
      at: Date;
    },
  ): Promise<unknown>;
}

/** The moments that start workflows (seed 003). */
export type WorkflowEvent =
  | { readonly type: 'conversation_opened'; readonly source: 'contact' | 'agent' | 'api' }
  | { readonly type: 'conversation_closed' }
  | { readonly type: 'incoming_message' }
  | { readonly type: 'tag_added'; readonly tags: readonly string[] };

export interface WorkflowStarter {
  start(
    trx: Db,
    input: {
      event: WorkflowEvent;
      conversationId: string;
      ticketId: string;
      at: Date;
      comment?: UpdateComment | null;
    },
  ): Promise<unknown>;
}

/** The outbound ports, each optional until wired. */
export interface RulePorts {
  csat: CsatSender | null;
  webhooks: WebhookQueue | null;
  email: EmailQueue | null;
  workflows: WorkflowStarter | null;
  /** The API channel: reply window and webhook delivery of rules' messages. */
  apiChannel?: OutboundChannelHook | null;
}
