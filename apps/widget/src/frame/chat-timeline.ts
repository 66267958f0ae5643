import type { Attachment, FeedEntry, Message } from '@parlour/protocol';

/** A bot message may offer buttons (contract: quick replies). */
export type WidgetMessage = Message & {
  quickReplies?: ReadonlyArray<{ label: string; value: string }>;
};

/** A message the customer wrote that the server has not stored yet (kept in localStorage). */
export interface PendingMessage {
  readonly clientMessageId: string;
  readonly body: string;
  readonly attachments: readonly Attachment[];
  /** The conversation it was written in; null: "my conversation" (a new one if none is active). */
  conversationId: string | null;
  /** queued: waits for the connection; sending: sent, no answer yet; sent: acknowledged; failed: refused. */
  state: 'queued' | 'sending' | 'sent' | 'failed';
  error?: string;
}

export type Author = 'customer' | 'agent' | 'bot';

export type TimelineItem =
  | {
      readonly type: 'message';
      readonly key: string;
      readonly seq: number | null;
      readonly author: Author;
      readonly name: string;
      readonly body: string;
      readonly attachments: readonly Attachment[];
      /** stored: in the feed; otherwise the pending copy's state. */
      readonly state: 'stored' | PendingMessage['state'];
      readonly error?: string;
      readonly clientMessageId: string | null;
      readonly quickReplies: ReadonlyArray<{ label: string; value: string }>;
    }
  | { readonly type: 'system'; readonly key: string; readonly seq: number; readonly text: string }
  | {
      readonly type: 'csat';
      readonly key: string;
      readonly seq: number;
      readonly surveyId: string;
      readonly question: string;
    }
  | { readonly type: 'notice'; readonly key: string; readonly text: string };

const END_REASONS: Record<string, string> = {
  ended_by_agent: 'The agent ended the chat.',
  customer_left: 'You ended the chat.',
  ticket_closed: 'The chat was closed.',
};

/**
 * One conversation's feed as the customer sees it: entries kept once per seq (a reconnect that
 * replays some of them changes nothing), the customer's own messages matched to their pending
 * copies by client message id, and local notices (a removed message) placed where they happened.
 */
export class ChatTimeline {
  private readonly entries = new Map<number, FeedEntry>();
  private readonly notices: Array<{ afterSeq: number; key: string; text: string }> = [];
  private readonly agentNames = new Map<string, string>();
  private readonly storedIds = new Set<string>();
  lastSeq = 0;

  constructor(readonly conversationId: string) {}

  /** Adds an entry of this conversation; false when it is not new (same seq seen before). */
  add(entry: FeedEntry): boolean {
    if (entry.conversationId !== this.conversationId || this.entries.has(entry.seq)) return false;
    this.entries.set(entry.seq, entry);
    if (entry.seq > this.lastSeq) this.lastSeq = entry.seq;
    const event = entry.event;
    if (event.type === 'message.created' && event.message.clientMessageId)
      this.storedIds.add(event.message.clientMessageId);
    if (event.type === 'agent.joined') this.agentNames.set(event.agentId, event.agentName);
    return true;
  }

  /** Whether the server has stored the customer's message with this client message id. */
  stored(clientMessageId: string): boolean {
    return this.storedIds.has(clientMessageId);
  }

  notice(key: string, text: string): void {
    if (!this.notices.some((n) => n.key === key))
      this.notices.push({ afterSeq: this.lastSeq, key, text });
  }

  /** Agent and bot messages after `seq` (the launcher's unread count). */
  unreadAfter(seq: number): number {
    let count = 0;
    for (const entry of this.entries.values()) {
      if (entry.seq <= seq || entry.event.type !== 'message.created') continue;
      if (entry.event.message.authorType !== 'end_user') count += 1;
    }
    return count;
  }

  /** The highest seq of a message the customer wrote (for the "Read" mark). */
  lastCustomerSeq(): number {
    let last = 0;
    for (const entry of this.entries.values())
      if (
        entry.event.type === 'message.created' &&
        entry.event.message.authorType === 'end_user' &&
        entry.seq > last
      )
        last = entry.seq;
    return last;
  }

  items(pending: readonly PendingMessage[]): TimelineItem[] {
    const out: TimelineItem[] = [];
    const seqs = [...this.entries.keys()].sort((a, b) => a - b);
    let n = 0;
    const noticesUpTo = (seq: number) => {
      while (n < this.notices.length && this.notices[n]!.afterSeq <= seq) {
        const notice = this.notices[n]!;
        out.push({ type: 'notice', key: notice.key, text: notice.text });
        n += 1;
      }
    };
    noticesUpTo(0);
    // Who is in the chat at each point, so a second agent's arrival reads as a conference.
    const present = new Set<string>();
    for (const seq of seqs) {
      const item = this.itemOf(this.entries.get(seq)!, present);
      if (item) out.push(item);
      noticesUpTo(seq);
    }
    for (const p of pending) {
      if (this.stored(p.clientMessageId)) continue;
      if (p.conversationId !== null && p.conversationId !== this.conversationId) continue;
      out.push(pendingItem(p));
    }
    noticesUpTo(Number.POSITIVE_INFINITY);
    return out;
  }

  private itemOf(entry: FeedEntry, present: Set<string>): TimelineItem | null {
    const event = entry.event;
    const key = `seq-${entry.seq}`;
    switch (event.type) {
      case 'message.created': {
        const m = event.message as WidgetMessage;
        if (m.kind !== 'public') return null;
        const author: Author =
          m.authorType === 'end_user' ? 'customer' : m.authorType === 'bot' ? 'bot' : 'agent';
        return {
          type: 'message',
          key,
          seq: entry.seq,
          author,
          name:
            author === 'customer'
              ? 'You'
              : author === 'bot'
                ? 'Assistant'
                : ((m.authorId && this.agentNames.get(m.authorId)) ?? 'Agent'),
          body: m.body,
          attachments: m.attachments ?? [],
          state: 'stored',
          clientMessageId: m.clientMessageId,
          quickReplies: m.quickReplies ?? [],
        };
      }
      case 'conversation.handed_off':
        return { type: 'system', key, seq: entry.seq, text: 'Connecting you with a person…' };
      case 'agent.joined': {
        const conference = [...present].some((id) => id !== event.agentId);
        present.add(event.agentId);
        return {
          type: 'system',
          key,
          seq: entry.seq,
          text: `${event.agentName} joined the chat${conference ? ' (conference)' : ''}`,
        };
      }
      case 'agent.left':
        present.delete(event.agentId);
        return { type: 'system', key, seq: entry.seq, text: `${event.agentName} left the chat` };
      case 'session.ended':
        present.clear();
        return {
          type: 'system',
          key,
          seq: entry.seq,
          text: `${END_REASONS[event.reason] ?? 'The chat ended.'} Write again to start a new chat.`,
        };
      case 'conversation.closed':
        return { type: 'system', key, seq: entry.seq, text: 'This conversation is closed.' };
      case 'csat.requested':
        return {
          type: 'csat',
          key,
          seq: entry.seq,
          surveyId: event.surveyId,
          question: event.question,
        };
      default:
        return null;
    }
  }
}

function pendingItem(p: PendingMessage): TimelineItem {
  return {
    type: 'message',
    key: `pending-${p.clientMessageId}`,
    seq: null,
    author: 'customer',
    name: 'You',
    body: p.body,
    attachments: p.attachments,
    state: p.state,
    ...(p.error ? { error: p.error } : {}),
    clientMessageId: p.clientMessageId,
    quickReplies: [],
  };
}
