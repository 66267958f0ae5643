import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  AgentPresence,
  Conversation,
  FeedEntry,
  Group,
  Message,
  Offer,
  Participant,
  Ticket,
  TicketEvent,
  User,
} from '@parlour/protocol';
import { api, describeError, query } from '../api.js';
import { composerChoice, keepOrDefault, type ComposerChannel } from '../composer-channel.js';
import type { DraftStore } from '../draft-store.js';
import type { ConnectionState, SocketClient } from '../socket-client.js';
import { formatTime } from '../time-format.js';
import { ChannelIcon } from './channel-icon.js';
import { Composer } from './composer.js';
import { ConferenceDialog, TransferDialog, WrapUpDialog } from './dialogs.js';
import { TicketFields } from './ticket-fields.js';
import type { Refusal, TypingState } from './workspace.js';

type TicketPage = { items: Ticket[]; nextCursor: string | null };

function authorLabel(m: Message, me: User, agents: readonly AgentPresence[]): string {
  if (m.authorType === 'bot') return 'Bot';
  if (m.authorType === 'end_user') return 'Customer';
  if (m.authorType === 'system') return 'System';
  if (m.authorId === me.id) return 'You';
  return agents.find((a) => a.id === m.authorId)?.name ?? 'Agent';
}

function systemLine(entry: FeedEntry): string | null {
  const e = entry.event;
  switch (e.type) {
    case 'conversation.handed_off':
      return 'Handed off to people (the bot conversation ends here)';
    case 'agent.joined':
      return `${e.agentName} joined`;
    case 'agent.left':
      return `${e.agentName} left`;
    case 'session.ended':
      return e.reason === 'customer_left'
        ? 'The customer left the chat'
        : e.reason === 'ended_by_agent'
          ? 'The session was ended by the agent'
          : 'The session ended (ticket closed)';
    case 'conversation.closed':
      return 'Conversation closed';
    case 'csat.requested':
      return 'Satisfaction survey sent';
    case 'content.redacted':
      return `Card data ${e.action} (${e.source.replace(/_/g, ' ')}: ${Object.entries(e.counts)
        .map(([k, v]) => `${v} ${k.replace(/_/g, ' ')}`)
        .join(', ')})`;
    default:
      return null;
  }
}

/** One conversation: transcript, ticket fields, history, contact history, composer and actions. */
export function ConversationView({
  ticketId,
  knownTicket,
  me,
  agents,
  groups,
  socket,
  connection,
  feed,
  feedVersion,
  outboxVersion,
  drafts,
  customer,
  typing,
  endUserReads,
  refusal,
  onClearRefusal,
  onOpened,
  onChanged,
  onLeave,
  onRefreshAgents,
  onOpenTicket,
}: {
  ticketId: string;
  knownTicket: Ticket | null;
  me: User;
  agents: readonly AgentPresence[];
  groups: readonly Group[];
  socket: SocketClient | null;
  connection: ConnectionState;
  feed: ReadonlyMap<string, FeedEntry[]>;
  feedVersion: number;
  outboxVersion: number;
  drafts: DraftStore;
  customer: ReadonlyMap<string, Offer['customer']>;
  typing: Record<string, TypingState>;
  endUserReads: Record<string, number>;
  refusal: Record<string, Refusal>;
  onClearRefusal: (conversationId: string) => void;
  onOpened: (conversationId: string | null) => void;
  onChanged: () => void;
  onLeave: () => void;
  onRefreshAgents: () => Promise<void>;
  onOpenTicket: (ticketId: string) => void;
}) {
  const [ticket, setTicket] = useState<Ticket | null>(knownTicket);
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [history, setHistory] = useState<TicketEvent[]>([]);
  const [contacts, setContacts] = useState<Ticket[]>([]);
  const [participants, setParticipants] = useState<Participant[]>([]);
  const [channel, setChannel] = useState<ComposerChannel | null>(null);
  const [dialog, setDialog] = useState<'none' | 'transfer' | 'conference' | 'wrap-up'>('none');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const historyOpenRef = useRef(false);
  historyOpenRef.current = historyOpen;
  const sentRead = useRef(0);
  const transcriptEnd = useRef<HTMLLIElement>(null);

  const loadTicket = useCallback(async () => {
    try {
      setTicket(await api<Ticket>('GET', `/api/tickets/${ticketId}`));
    } catch (e) {
      setError(describeError(e));
    }
  }, [ticketId]);

  const conversationId = ticket?.conversationId ?? null;

  const loadConversation = useCallback(async () => {
    if (!conversationId) return;
    try {
      const c = await api<Conversation>('GET', `/api/conversations/${conversationId}`);
      setConversation(c);
      setChannel((current) => keepOrDefault(current, composerChoice(c)));
    } catch (e) {
      setError(describeError(e));
    }
  }, [conversationId]);

  const loadHistory = useCallback(async () => {
    try {
      setHistory(await api<TicketEvent[]>('GET', `/api/tickets/${ticketId}/events`));
    } catch {
      // Shown as empty; the transcript still works.
    }
  }, [ticketId]);

  const loadParticipants = useCallback(async () => {
    if (!conversationId) return;
    try {
      setParticipants(
        await api<Participant[]>('GET', `/api/conversations/${conversationId}/participants`),
      );
    } catch {
      setParticipants([]);
    }
  }, [conversationId]);

  useEffect(() => {
    void loadTicket();
  }, [loadTicket]);

  // The history loads when its panel is opened, and follows changes while it stays open.
  useEffect(() => {
    if (historyOpen) void loadHistory();
  }, [historyOpen, loadHistory]);

  useEffect(() => {
    if (!conversationId) return;
    onOpened(conversationId);
    void loadConversation();
    void loadParticipants();
    return () => onOpened(null);
  }, [conversationId, onOpened, loadConversation, loadParticipants]);

  const requesterId = ticket?.requesterId ?? null;
  useEffect(() => {
    if (!requesterId) return;
    api<TicketPage>('GET', `/api/tickets${query({ requesterId, limit: 20 })}`)
      .then((page) => setContacts(page.items))
      .catch(() => setContacts([]));
  }, [requesterId]);

  const entries = useMemo(
    () => (conversationId ? [...(feed.get(conversationId) ?? [])] : []),
    [conversationId, feed, feedVersion],
  );

  // React to what happens in the conversation: ticket changes, session end, conference.
  const seen = useRef(0);
  useEffect(() => {
    const fresh = entries.filter((e) => e.seq > seen.current);
    if (fresh.length === 0) return;
    seen.current = entries[entries.length - 1]?.seq ?? seen.current;
    let reloadHistory = false;
    for (const entry of fresh) {
      const e = entry.event;
      if (e.type === 'ticket.updated' && e.ticket.id === ticketId) {
        setTicket((t) => (t && t.version > e.ticket.version ? t : e.ticket));
        reloadHistory = true;
      }
      if (e.type === 'session.ended' || e.type === 'conversation.closed') {
        void loadConversation();
        reloadHistory = true;
      }
      if (e.type === 'agent.joined' || e.type === 'agent.left') void loadParticipants();
      if (e.type === 'message.created') reloadHistory = true;
    }
    if (reloadHistory && historyOpenRef.current) void loadHistory();
    transcriptEnd.current?.scrollIntoView?.({ block: 'end' });
  }, [entries, ticketId, loadConversation, loadHistory, loadParticipants]);

  // Open at the newest line, also once the composer below has taken its room.
  const transcript = useRef<HTMLOListElement>(null);
  const hasComposer = Boolean(conversation && (ticket?.id ?? null));
  useEffect(() => {
    const el = transcript.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries.length, hasComposer]);

  // Read marks: tell the server what the agent has seen while the conversation is visible.
  useEffect(() => {
    if (!conversationId || !socket) return;
    const last = entries[entries.length - 1]?.seq ?? 0;
    const send = () => {
      if (document.hidden || last <= sentRead.current) return;
      if (socket.sendTransient({ type: 'read', conversationId, seq: last }))
        sentRead.current = last;
    };
    send();
    document.addEventListener('visibilitychange', send);
    return () => document.removeEventListener('visibilitychange', send);
  }, [entries, conversationId, socket, connection]);

  const pending = useMemo(
    () =>
      socket && conversationId
        ? socket.pending().filter((m) => m.conversationId === conversationId)
        : [],
    [socket, conversationId, outboxVersion, entries],
  );

  if (!ticket)
    return (
      <main className="conversation" aria-label="Conversation">
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p role="status">Loading…</p>
        )}
      </main>
    );

  const choice = conversation ? composerChoice(conversation) : null;
  const currentChannel = channel ?? choice?.initial ?? 'internal';
  const who = customer.get(ticket.id);
  const sessionActive = conversation?.session?.state === 'active';
  const customerLeft = conversation?.session?.endReason === 'customer_left';
  const typingNow = conversationId ? typing[conversationId] : undefined;
  const endUserRead = conversationId ? (endUserReads[conversationId] ?? 0) : 0;
  const joined = participants.filter((p) => p.state === 'joined' || p.state === 'requested');
  // A guest in someone else's chat (a conference): they talk and leave; the chat's owner (or a
  // supervisor from their own view) transfers, invites and ends it.
  const guest =
    ticket.assigneeId !== me.id &&
    participants.some((p) => p.userId === me.id && p.state === 'joined');
  const assigneeName = ticket.assigneeId
    ? (agents.find((a) => a.id === ticket.assigneeId)?.name ?? null)
    : null;
  const inChat = [
    ...(ticket.assigneeId ? [ticket.assigneeId] : []),
    me.id,
    ...joined.map((p) => p.userId),
  ];
  const firstTicketEntry = entries.findIndex(
    (e) =>
      e.event.type === 'conversation.handed_off' ||
      (e.event.type === 'message.created' && e.event.message.ticketId !== null),
  );

  async function endSession() {
    if (!conversationId) return;
    setError(null);
    try {
      await api('POST', `/api/conversations/${conversationId}/end-session`, {
        reason: 'ended_by_agent',
      });
      setNotice('The session was ended.');
      await loadConversation();
    } catch (e) {
      setError(describeError(e));
    }
  }

  async function endConference() {
    if (!conversationId) return;
    try {
      await api('POST', `/api/conversations/${conversationId}/conference/end`);
      await loadParticipants();
      onChanged();
    } catch (e) {
      setError(describeError(e));
    }
  }

  return (
    <main
      className="conversation"
      aria-label={`Ticket ${ticket.number}`}
      data-testid="conversation-view"
    >
      <header className="conversation-head">
        <h2>
          <ChannelIcon channel={ticket.channel} /> #{ticket.number}{' '}
          <span data-testid="conversation-customer">
            {who?.name ?? who?.email ?? `Customer ${ticket.requesterId.slice(0, 8)}`}
          </span>
          {who?.email && who.name && <span className="muted"> &lt;{who.email}&gt;</span>}
        </h2>
        <div className="actions">
          {guest && (
            <button
              type="button"
              onClick={() => void endConference()}
              data-testid="action-end-conference"
            >
              Leave conference
            </button>
          )}
          {!guest && (
            <>
              <button
                type="button"
                onClick={() => setDialog('transfer')}
                data-testid="action-transfer"
              >
                Transfer
              </button>
              <button
                type="button"
                onClick={() => setDialog('conference')}
                data-testid="action-conference"
              >
                Conference
              </button>
              {joined.length > 0 && (
                <button
                  type="button"
                  onClick={() => void endConference()}
                  data-testid="action-end-conference"
                >
                  End conference
                </button>
              )}
            </>
          )}
          {!guest && (
            <>
              <button
                type="button"
                disabled={!sessionActive}
                onClick={() => void endSession()}
                data-testid="action-end-session"
              >
                End session
              </button>
              <button
                type="button"
                className="primary"
                onClick={() => setDialog('wrap-up')}
                data-testid="action-end-chat"
              >
                End chat…
              </button>
            </>
          )}
        </div>
      </header>
      {customerLeft && (
        <p className="notice warn" role="status" data-testid="customer-left">
          The customer left the chat. Reply by email or add an internal note.
        </p>
      )}
      {joined.length > 0 && (
        <p className="notice" data-testid="conference-participants">
          Conference:{' '}
          {[
            ...(guest && assigneeName ? [`${assigneeName} (has the chat)`] : []),
            ...joined.map((p) => `${p.userId === me.id ? 'You' : p.name} (${p.state})`),
          ].join(', ')}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="conversation-error">
          {error}
        </p>
      )}
      <div className="conversation-body">
        <section className="transcript-column" aria-label="Transcript">
          <ol ref={transcript} className="transcript" data-testid="transcript" aria-live="polite">
            {entries.map((entry, index) => {
              const e = entry.event;
              const divider =
                index === 0 && firstTicketEntry !== 0 ? (
                  <li key={`bot-${entry.seq}`} className="divider">
                    Bot conversation before the handoff
                  </li>
                ) : null;
              if (e.type === 'message.created') {
                const m = e.message;
                const note = m.kind === 'internal';
                const read = m.authorType !== 'end_user' && endUserRead >= entry.seq;
                return [
                  divider,
                  <li
                    key={entry.seq}
                    className={`msg msg-${m.authorType}${note ? ' msg-note' : ''}${m.authorId === me.id ? ' msg-mine' : ''}`}
                    data-testid={note ? 'message-note' : 'message'}
                    data-seq={entry.seq}
                  >
                    <div className="msg-meta">
                      <strong>{authorLabel(m, me, agents)}</strong>
                      {note && <span className="tag-note">Internal note</span>}
                      {m.channel === 'email' && !note && <span className="tag-email">Email</span>}
                      <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
                      {read && (
                        <span className="read-mark" data-testid="read-mark">
                          Read
                        </span>
                      )}
                    </div>
                    <p className="msg-body">{m.body}</p>
                    {m.attachments.length > 0 && (
                      <ul className="attachments">
                        {m.attachments.map((a) => (
                          <li key={a.id}>
                            <a href={a.url} download={a.fileName} data-testid="attachment-link">
                              {a.fileName}
                            </a>{' '}
                            <span className="muted">({Math.ceil(a.sizeBytes / 1024)} KB)</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>,
                ];
              }
              const line = systemLine(entry);
              if (!line) return divider;
              return [
                divider,
                <li key={entry.seq} className="system-line" data-testid="system-line">
                  {line}
                </li>,
              ];
            })}
            {pending.map((m) => (
              <li
                key={m.clientMessageId}
                className={`msg msg-user msg-mine msg-pending${m.kind === 'internal' ? ' msg-note' : ''}`}
                data-testid="message-pending"
              >
                <div className="msg-meta">
                  <strong>You</strong>
                  <span className="muted">
                    {connection === 'open'
                      ? 'Sending…'
                      : 'Waiting for the connection — sent once it is back'}
                  </span>
                </div>
                <p className="msg-body">{m.body}</p>
              </li>
            ))}
            <li ref={transcriptEnd} className="transcript-end" aria-hidden="true" />
          </ol>
          <p className="typing" aria-live="polite" data-testid="typing-indicator">
            {typingNow ? `${typingNow.name} is typing…` : ''}
          </p>
          {conversation && choice && conversationId && (
            <Composer
              conversationId={conversationId}
              ticketId={ticket.id}
              choice={choice}
              channel={currentChannel}
              onChannel={setChannel}
              drafts={drafts}
              socket={socket}
              refusal={refusal[conversationId]}
              onClearRefusal={() => onClearRefusal(conversationId)}
              onMacroApplied={() => {
                void loadTicket();
                void loadHistory();
                onChanged();
              }}
            />
          )}
        </section>
        <aside className="side" aria-label="Details">
          <TicketFields
            ticket={ticket}
            agents={agents}
            groups={groups}
            onSaved={(t) => {
              setTicket(t);
              if (historyOpen) void loadHistory();
              onChanged();
            }}
            onStale={() => void loadTicket()}
          />
          <details className="panel" data-testid="contact-history">
            <summary>Contact history ({contacts.length})</summary>
            <ul>
              {contacts.map((t) => (
                <li key={t.id}>
                  <button
                    type="button"
                    className="link"
                    disabled={t.id === ticket.id}
                    onClick={() => onOpenTicket(t.id)}
                  >
                    #{t.number} {t.subject ?? t.channel}
                  </button>{' '}
                  · {t.status.replace('_', ' ')} · {formatTime(t.createdAt)}
                </li>
              ))}
            </ul>
          </details>
          <details
            className="panel"
            data-testid="event-history"
            onToggle={(e) => setHistoryOpen(e.currentTarget.open)}
          >
            <summary>Event history{historyOpen ? ` (${history.length})` : ''}</summary>
            <ol>
              {history.map((h) => (
                <li key={h.id}>
                  <time dateTime={h.at}>{formatTime(h.at)}</time> {h.type.replace(/[._]/g, ' ')}
                  {h.actor.id
                    ? ` · ${agents.find((a) => a.id === h.actor.id)?.name ?? h.actor.type}`
                    : ` · ${h.actor.type}`}
                </li>
              ))}
            </ol>
          </details>
        </aside>
      </div>
      {dialog === 'transfer' && (
        <TransferDialog
          ticketId={ticket.id}
          meId={me.id}
          groups={groups}
          onRefreshAgents={onRefreshAgents}
          onClose={() => setDialog('none')}
          onDone={() => {
            setDialog('none');
            onLeave();
          }}
        />
      )}
      {dialog === 'conference' && conversationId && (
        <ConferenceDialog
          conversationId={conversationId}
          excludeIds={inChat}
          onClose={() => setDialog('none')}
          onDone={() => {
            setDialog('none');
            setNotice('Invitation sent.');
            void loadParticipants();
          }}
        />
      )}
      {dialog === 'wrap-up' && conversationId && (
        <WrapUpDialog
          ticketId={ticket.id}
          conversationId={conversationId}
          sessionActive={sessionActive}
          onClose={() => setDialog('none')}
          onDone={() => {
            setDialog('none');
            setNotice('Chat ended with wrap-up.');
            void loadConversation();
            void loadHistory();
            onChanged();
          }}
        />
      )}
    </main>
  );
}
