import type { FeedEntry } from '@parlour/protocol';
import { describe, expect, it } from 'vitest';
import { ChatTimeline, type PendingMessage } from './chat-timeline.js';

const C = '00000000-0000-4000-8000-000000000001';
const AGENT = '00000000-0000-4000-8000-0000000000a1';

function message(
  seq: number,
  body: string,
  authorType: 'end_user' | 'user' | 'bot',
  extra: Record<string, unknown> = {},
): FeedEntry {
  return {
    conversationId: C,
    seq,
    at: '2026-01-05T09:00:00.000Z',
    event: {
      type: 'message.created',
      message: {
        id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
        conversationId: C,
        ticketId: null,
        seq,
        kind: 'public',
        authorType,
        authorId: authorType === 'user' ? AGENT : null,
        channel: 'messaging',
        body,
        clientMessageId: null,
        createdAt: '2026-01-05T09:00:00.000Z',
        attachments: [],
        ...extra,
      },
    },
  } as FeedEntry;
}

const bodies = (t: ChatTimeline, pending: PendingMessage[] = []) =>
  t.items(pending).map((i) => (i.type === 'message' ? `${i.author}:${i.body}:${i.state}` : i.type));

describe('the chat timeline', () => {
  it('keeps each seq once, in order, whatever order and how often entries arrive', () => {
    const t = new ChatTimeline(C);
    expect(t.add(message(2, 'two', 'user'))).toBe(true);
    expect(t.add(message(1, 'one', 'end_user'))).toBe(true);
    expect(t.add(message(2, 'two', 'user'))).toBe(false);
    expect(t.add(message(3, 'three', 'bot'))).toBe(true);
    expect(t.add({ ...message(4, 'other', 'user'), conversationId: AGENT })).toBe(false);
    expect(bodies(t)).toEqual(['customer:one:stored', 'agent:two:stored', 'bot:three:stored']);
    expect(t.lastSeq).toBe(3);
  });

  it('shows a pending message until its stored copy (same client message id) arrives', () => {
    const t = new ChatTimeline(C);
    const pending: PendingMessage[] = [
      {
        clientMessageId: 'm-1',
        body: 'hello',
        attachments: [],
        conversationId: C,
        state: 'queued',
      },
    ];
    expect(bodies(t, pending)).toEqual(['customer:hello:queued']);
    t.add(message(1, 'hello', 'end_user', { clientMessageId: 'm-1' }));
    expect(t.stored('m-1')).toBe(true);
    expect(bodies(t, pending)).toEqual(['customer:hello:stored']);
  });

  it('names agents who joined, counts unread agent and bot messages, and places notices', () => {
    const t = new ChatTimeline(C);
    t.add(message(1, 'hi', 'end_user'));
    t.add({
      conversationId: C,
      seq: 2,
      at: '2026-01-05T09:00:00.000Z',
      event: { type: 'agent.joined', agentId: AGENT, agentName: 'Alex' },
    });
    t.notice('card-1', 'removed');
    t.add(message(3, 'Hello, Alex here', 'user'));
    t.add(message(4, 'Anything else?', 'bot', { quickReplies: [{ label: 'No', value: 'no' }] }));
    const items = t.items([]);
    expect(items.map((i) => i.type)).toEqual(['message', 'system', 'notice', 'message', 'message']);
    expect(items[3]).toMatchObject({ name: 'Alex' });
    expect(items[4]).toMatchObject({ quickReplies: [{ label: 'No', value: 'no' }] });
    expect(t.unreadAfter(0)).toBe(2);
    expect(t.unreadAfter(3)).toBe(1);
    expect(t.lastCustomerSeq()).toBe(1);
  });

  it('names each agent by id, also when a reloaded page replays the feed out of order', () => {
    const t = new ChatTimeline(C);
    // A reload subscribes after seq 0: the replay may deliver a message before its join.
    t.add(message(4, 'Sam here too', 'user', { authorId: SAM }));
    t.add(message(2, 'Alex here', 'user'));
    t.add(joined(1, AGENT, 'Alex Agent'));
    expect(names(t)).toEqual(['Alex here:Alex Agent', 'Sam here too:Agent']);
    t.add(joined(3, SAM, 'Sam Agent'));
    expect(names(t)).toEqual(['Alex here:Alex Agent', 'Sam here too:Sam Agent']);
  });

  it('says a second agent joined for a conference, and not after the first one left', () => {
    const t = new ChatTimeline(C);
    t.add(joined(1, AGENT, 'Alex Agent'));
    t.add(joined(2, SAM, 'Sam Agent'));
    t.add(left(3, SAM, 'Sam Agent'));
    t.add(left(4, AGENT, 'Alex Agent'));
    t.add(joined(5, SAM, 'Sam Agent'));
    expect(systemLines(t)).toEqual([
      'Alex Agent joined the chat',
      'Sam Agent joined the chat (conference)',
      'Sam Agent left the chat',
      'Alex Agent left the chat',
      'Sam Agent joined the chat',
    ]);
  });
});

const SAM = '00000000-0000-4000-8000-0000000000a2';

function joined(seq: number, agentId: string, agentName: string): FeedEntry {
  return {
    conversationId: C,
    seq,
    at: '2026-01-05T09:00:00.000Z',
    event: { type: 'agent.joined', agentId, agentName },
  };
}

function left(seq: number, agentId: string, agentName: string): FeedEntry {
  return {
    conversationId: C,
    seq,
    at: '2026-01-05T09:00:00.000Z',
    event: { type: 'agent.left', agentId, agentName },
  };
}

const names = (t: ChatTimeline) =>
  t.items([]).flatMap((i) => (i.type === 'message' ? [`${i.body}:${i.name}`] : []));

const systemLines = (t: ChatTimeline) =>
  t.items([]).flatMap((i) => (i.type === 'system' ? [i.text] : []));
