import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  AgentPresence,
  AgentStatus,
  FeedEntry,
  Group,
  Offer,
  Ticket,
  User,
} from '@parlour/protocol';
import { api, describeError, query } from '../api.js';
import { DraftStore } from '../draft-store.js';
import { askForNotifications, notificationPermission, notify } from '../notifications.js';
import {
  SocketClient,
  type ConnectionState,
  type IncomingFrame,
  type OutgoingMessage,
  type SocketLike,
} from '../socket-client.js';
import { ConversationLists, type ListKind } from './conversation-lists.js';
import { ConversationView } from './conversation-view.js';
import { OfferPopover } from './offer-popover.js';
import { StatusMenu, type IdleReason } from './status-menu.js';

type TicketPage = { items: Ticket[]; nextCursor: string | null };

export interface Invitation {
  readonly conversationId: string;
  readonly ticketId: string;
  readonly invitedBy: string;
}

export interface TypingState {
  readonly name: string;
  readonly until: number;
}

export interface Refusal {
  readonly clientMessageId: string;
  readonly body: string;
  readonly code: string;
  readonly message: string;
}

const OPEN_KEY = 'parlour.agent.open';
const ACTIVE_STATUSES = 'new,open,pending,on_hold';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function Workspace({ me, onLoggedOut }: { me: User; onLoggedOut: () => void }) {
  const drafts = useMemo(() => new DraftStore(storage()), []);
  const [status, setStatus] = useState<{ status: AgentStatus; idleReasonId: string | null }>({
    status: 'offline',
    idleReasonId: null,
  });
  const [ronaCause, setRonaCause] = useState<string | null>(null);
  const [idleReasons, setIdleReasons] = useState<IdleReason[]>([]);
  const [agents, setAgents] = useState<AgentPresence[]>([]);
  const [groups, setGroups] = useState<Group[]>([]);
  const [offers, setOffers] = useState<Offer[]>([]);
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [lists, setLists] = useState<Record<ListKind, Ticket[]>>({
    mine: [],
    conferences: [],
    queue: [],
    status: [],
  });
  const [statusFilter, setStatusFilter] = useState('open');
  const [unread, setUnread] = useState<Record<string, number>>({});
  const [openTicketId, setOpenTicketId] = useState<string | null>(
    () => storage()?.getItem(OPEN_KEY) ?? null,
  );
  const [connection, setConnection] = useState<ConnectionState>('closed');
  const [feedVersion, setFeedVersion] = useState(0);
  const [outboxVersion, setOutboxVersion] = useState(0);
  const [typing, setTyping] = useState<Record<string, TypingState>>({});
  const [endUserReads, setEndUserReads] = useState<Record<string, number>>({});
  const [refusals, setRefusals] = useState<Record<string, Refusal>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [permission, setPermission] = useState(notificationPermission);

  const feeds = useRef(new Map<string, FeedEntry[]>());
  const replaying = useRef(new Set<string>());
  const customers = useRef(new Map<string, Offer['customer']>());
  const openConversation = useRef<string | null>(null);
  const statusFilterRef = useRef(statusFilter);
  statusFilterRef.current = statusFilter;
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const loadUnread = useCallback(async () => {
    try {
      const reply = await api<{ items: { conversationId: string; unread: number }[] }>(
        'GET',
        '/api/agents/me/unread',
      );
      const next: Record<string, number> = {};
      for (const item of reply.items) next[item.conversationId] = item.unread;
      if (openConversation.current) next[openConversation.current] = 0;
      setUnread(next);
    } catch {
      // Older servers have no unread endpoint: counts stay local.
    }
  }, []);

  const socketRef = useRef<SocketClient | null>(null);
  const subscribe = useCallback((conversationId: string) => {
    const socket = socketRef.current;
    if (!socket || socket.isSubscribed(conversationId)) return;
    if (!feeds.current.has(conversationId)) feeds.current.set(conversationId, []);
    replaying.current.add(conversationId);
    socket.subscribe(conversationId, 0);
  }, []);

  const loadLists = useCallback(async () => {
    try {
      const [mine, conferences, queue, byStatus] = await Promise.all([
        api<TicketPage>(
          'GET',
          `/api/tickets${query({ assigneeId: 'me', status: ACTIVE_STATUSES, limit: 100 })}`,
        ),
        // The chats others own that I joined by conference invitation.
        api<TicketPage>(
          'GET',
          `/api/tickets${query({ conferenceParticipant: 'me', status: ACTIVE_STATUSES, limit: 100 })}`,
        ),
        api<TicketPage>(
          'GET',
          `/api/tickets${query({ assigneeId: 'none', status: 'new', limit: 100 })}`,
        ),
        api<TicketPage>(
          'GET',
          `/api/tickets${query({ status: statusFilterRef.current, limit: 100 })}`,
        ),
      ]);
      setLists({
        mine: mine.items,
        conferences: conferences.items,
        queue: queue.items.filter((t) => t.groupId === null || me.groupIds.includes(t.groupId)),
        status: byStatus.items,
      });
      for (const t of [...mine.items, ...conferences.items]) subscribe(t.conversationId);
    } catch (e) {
      setBanner(describeError(e));
    }
  }, [me.groupIds, subscribe]);

  const refreshSoon = useCallback(() => {
    if (refreshTimer.current) clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => {
      void loadLists();
      void loadUnread();
    }, 1000);
  }, [loadLists, loadUnread]);

  const loadAgents = useCallback(async () => {
    try {
      const [list, groupList] = await Promise.all([
        api<AgentPresence[]>('GET', '/api/agents'),
        api<Group[]>('GET', '/api/groups'),
      ]);
      setAgents(list);
      setGroups(groupList);
      const mine = list.find((a) => a.id === me.id);
      if (mine) setStatus({ status: mine.status, idleReasonId: mine.idleReasonId });
    } catch (e) {
      setBanner(describeError(e));
    }
  }, [me.id]);

  const handleEntry = useCallback(
    (entry: FeedEntry) => {
      const list = feeds.current.get(entry.conversationId) ?? [];
      list.push(entry);
      feeds.current.set(entry.conversationId, list);
      setFeedVersion((v) => v + 1);
      const live = !replaying.current.has(entry.conversationId);
      const event = entry.event;
      if (!live) return;
      if (event.type === 'message.created') {
        const fromOther = event.message.authorId !== me.id && event.message.authorType !== 'system';
        const visible = openConversation.current === entry.conversationId && !document.hidden;
        if (fromOther && !visible)
          setUnread((u) => ({ ...u, [entry.conversationId]: (u[entry.conversationId] ?? 0) + 1 }));
        if (event.message.authorType === 'end_user') {
          notify('New customer message', event.message.body.slice(0, 140), entry.conversationId);
          setTyping((t) => {
            const { [entry.conversationId]: _gone, ...rest } = t;
            return rest;
          });
        }
      }
      if (
        event.type === 'ticket.updated' ||
        event.type === 'session.ended' ||
        event.type === 'conversation.closed'
      )
        refreshSoon();
    },
    [me.id, refreshSoon],
  );

  const handleFrame = useCallback(
    (frame: IncomingFrame) => {
      switch (frame.type) {
        case 'welcome':
          void loadAgents();
          void api<Offer[]>('GET', '/api/agents/me/offers')
            .then((list) => {
              for (const o of list) customers.current.set(o.ticketId, o.customer);
              setOffers(list);
            })
            .catch(() => undefined);
          return;
        case 'subscribed': {
          replaying.current.delete(frame.conversationId);
          // A reloaded page shows the customer's read marks at once.
          const endUser = (frame as { reads?: { endUser?: number } }).reads?.endUser ?? 0;
          if (endUser > 0)
            setEndUserReads((r) => ({
              ...r,
              [frame.conversationId]: Math.max(r[frame.conversationId] ?? 0, endUser),
            }));
          return;
        }
        case 'offer':
          customers.current.set(frame.offer.ticketId, frame.offer.customer);
          setOffers((list) => [...list.filter((o) => o.id !== frame.offer.id), frame.offer]);
          notify(
            'New chat offered',
            `${frame.offer.customer.name ?? frame.offer.customer.email ?? 'A customer'} — ${
              frame.offer.queue.name ?? 'no queue'
            }`,
            frame.offer.id,
          );
          return;
        case 'offer.closed':
          setOffers((list) => list.filter((o) => o.id !== frame.offerId));
          refreshSoon();
          return;
        case 'agent.status':
          setStatus({ status: frame.status, idleReasonId: frame.idleReasonId });
          setRonaCause(frame.status === 'rona' ? frame.cause : null);
          return;
        case 'conference.invited':
          setInvitations((list) => [
            ...list.filter((i) => i.conversationId !== frame.conversationId),
            {
              conversationId: frame.conversationId,
              ticketId: frame.ticketId,
              invitedBy: frame.invitedBy,
            },
          ]);
          notify('Conference invitation', 'You are invited to join a chat', frame.conversationId);
          return;
        case 'typing': {
          if (frame.actor.id === me.id) return;
          const name =
            frame.actor.name ?? (frame.actor.type === 'end_user' ? 'The customer' : 'An agent');
          setTyping((t) => {
            if (!frame.typing) {
              const { [frame.conversationId]: _gone, ...rest } = t;
              return rest;
            }
            return { ...t, [frame.conversationId]: { name, until: Date.now() + 6000 } };
          });
          return;
        }
        case 'read':
          if (frame.reader.type === 'end_user')
            setEndUserReads((r) => ({
              ...r,
              [frame.conversationId]: Math.max(r[frame.conversationId] ?? 0, frame.seq),
            }));
          return;
        default:
          return;
      }
    },
    [loadAgents, me.id, refreshSoon],
  );

  // The socket: one per workspace, reconnecting with backoff; resumes every conversation.
  const handlersRef = useRef({ handleEntry, handleFrame });
  handlersRef.current = { handleEntry, handleFrame };
  useEffect(() => {
    const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new SocketClient({
      open: () => new WebSocket(`${protocol}//${window.location.host}/ws`) as unknown as SocketLike,
      handlers: {
        entry: (entry) => handlersRef.current.handleEntry(entry),
        frame: (frame) => handlersRef.current.handleFrame(frame),
        state: setConnection,
        queued: () => setOutboxVersion((v) => v + 1),
        acked: () => setOutboxVersion((v) => v + 1),
        refused: (message: OutgoingMessage, error) => {
          setOutboxVersion((v) => v + 1);
          setRefusals((r) => ({
            ...r,
            [message.conversationId]: {
              clientMessageId: message.clientMessageId,
              body: message.body,
              code: error.code,
              message: error.message,
            },
          }));
        },
        refusedConnection: () => {
          // Refused at the handshake? Ask the API: a 401 there returns to login.
          void api('GET', '/api/me').catch(() => undefined);
        },
      },
    });
    socketRef.current = socket;
    socket.connect();
    return () => {
      socket.stop();
      // Leaving (logout, expired login) with messages still unsent: they go back into the
      // drafts, so nothing typed is lost.
      for (const message of socket.pending()) {
        const draft = drafts.get(message.conversationId);
        drafts.set(message.conversationId, draft ? `${draft}\n${message.body}` : message.body);
      }
    };
  }, [drafts]);

  useEffect(() => {
    void loadLists();
    void loadUnread();
    void api<IdleReason[]>('GET', '/api/idle-reasons')
      .then((list) => setIdleReasons(list.filter((r) => r.active)))
      .catch(() => undefined);
    const timer = setInterval(() => void loadLists(), 30_000);
    return () => clearInterval(timer);
  }, [loadLists, loadUnread]);

  // Typing indicators expire after 6 s without a refresh.
  useEffect(() => {
    const timer = setInterval(() => {
      const now = Date.now();
      setTyping((t) => {
        const kept = Object.entries(t).filter(([, v]) => v.until > now);
        return kept.length === Object.keys(t).length ? t : Object.fromEntries(kept);
      });
    }, 1000);
    return () => clearInterval(timer);
  }, []);

  const openTicket = useMemo(
    () =>
      [...lists.mine, ...lists.conferences, ...lists.queue, ...lists.status].find(
        (t) => t.id === openTicketId,
      ) ?? null,
    [lists, openTicketId],
  );

  const open = useCallback((ticketId: string | null) => {
    setOpenTicketId(ticketId);
    try {
      if (ticketId) storage()?.setItem(OPEN_KEY, ticketId);
      else storage()?.removeItem(OPEN_KEY);
    } catch {
      // Not remembered across reloads then.
    }
  }, []);

  const conversationOpened = useCallback(
    (conversationId: string | null) => {
      openConversation.current = conversationId;
      if (conversationId) {
        subscribe(conversationId);
        setUnread((u) => (u[conversationId] ? { ...u, [conversationId]: 0 } : u));
      }
    },
    [subscribe],
  );

  async function changeStatus(next: AgentStatus, idleReasonId: string | null) {
    try {
      await api('PUT', '/api/agents/me/status', {
        status: next,
        ...(next === 'idle' ? { idleReasonId } : {}),
      });
      setStatus({ status: next, idleReasonId: next === 'idle' ? idleReasonId : null });
      setRonaCause(null);
      setBanner(null);
    } catch (e) {
      setBanner(describeError(e));
    }
  }

  async function answerOffer(offer: Offer, accept: boolean) {
    try {
      await api('POST', `/api/offers/${offer.id}/${accept ? 'accept' : 'decline'}`);
      setOffers((list) => list.filter((o) => o.id !== offer.id));
      if (accept) {
        subscribe(offer.conversationId);
        open(offer.ticketId);
      }
      await loadLists();
    } catch (e) {
      setOffers((list) => list.filter((o) => o.id !== offer.id));
      setBanner(describeError(e));
    }
  }

  async function answerInvitation(invitation: Invitation, accept: boolean) {
    try {
      await api(
        'POST',
        `/api/conversations/${invitation.conversationId}/conference/${accept ? 'accept' : 'decline'}`,
      );
      if (accept) {
        open(invitation.ticketId);
        void loadLists();
      }
    } catch (e) {
      setBanner(describeError(e));
    } finally {
      setInvitations((list) => list.filter((i) => i.conversationId !== invitation.conversationId));
    }
  }

  async function logout() {
    try {
      await api('POST', '/api/auth/logout');
    } catch {
      // Logged out anyway.
    }
    onLoggedOut();
  }

  const agentName = (id: string) => agents.find((a) => a.id === id)?.name ?? 'An agent';

  return (
    <div className="workspace" data-testid="workspace">
      <header className="topbar">
        <h1 className="brand">Parlour</h1>
        <StatusMenu
          status={status.status}
          idleReasonId={status.idleReasonId}
          idleReasons={idleReasons}
          ronaCause={ronaCause}
          onChange={(s, r) => void changeStatus(s, r)}
        />
        <span
          className={`connection connection-${connection}`}
          data-testid="connection-state"
          role="status"
        >
          {connection === 'open'
            ? 'Connected'
            : connection === 'connecting'
              ? 'Connecting…'
              : 'Offline — reconnecting'}
        </span>
        <span className="me">{me.name}</span>
        {(me.role === 'admin' || me.role === 'supervisor') && (
          <a href="/agent/console" data-testid="to-console">
            Console
          </a>
        )}
        {permission === 'default' && (
          <button
            type="button"
            data-testid="enable-notifications"
            onClick={() => void askForNotifications().then(setPermission)}
          >
            Enable notifications
          </button>
        )}
        <button type="button" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      {banner && (
        <p className="error banner" role="alert" data-testid="workspace-error">
          {banner}{' '}
          <button
            type="button"
            className="link"
            onClick={() => setBanner(null)}
            aria-label="Dismiss"
          >
            ×
          </button>
        </p>
      )}
      <OfferPopover offers={offers} onAnswer={(o, accept) => void answerOffer(o, accept)} />
      {invitations.length > 0 && (
        <section
          className="popover invitations"
          aria-label="Conference invitations"
          data-testid="conference-invitations"
        >
          {invitations.map((i) => (
            <div key={i.conversationId} className="invitation">
              <p>{agentName(i.invitedBy)} invites you to join a chat (conference).</p>
              <button
                type="button"
                className="primary"
                onClick={() => void answerInvitation(i, true)}
              >
                Join
              </button>
              <button type="button" onClick={() => void answerInvitation(i, false)}>
                Decline
              </button>
            </div>
          ))}
        </section>
      )}
      <div className="columns">
        <ConversationLists
          lists={lists}
          unread={unread}
          openTicketId={openTicketId}
          statusFilter={statusFilter}
          customers={customers.current}
          onStatusFilter={(s) => {
            setStatusFilter(s);
            statusFilterRef.current = s;
            void loadLists();
          }}
          onOpen={open}
          onRefresh={() => {
            void loadLists();
            void loadUnread();
          }}
        />
        {openTicketId ? (
          <ConversationView
            key={openTicketId}
            ticketId={openTicketId}
            knownTicket={openTicket}
            me={me}
            agents={agents}
            groups={groups}
            socket={socketRef.current}
            connection={connection}
            feed={feeds.current}
            feedVersion={feedVersion}
            outboxVersion={outboxVersion}
            drafts={drafts}
            customer={customers.current}
            typing={typing}
            endUserReads={endUserReads}
            refusal={refusals}
            onClearRefusal={(cid) =>
              setRefusals((r) => {
                const { [cid]: _gone, ...rest } = r;
                return rest;
              })
            }
            onOpened={conversationOpened}
            onChanged={refreshSoon}
            onLeave={() => {
              open(null);
              conversationOpened(null);
              void loadLists();
            }}
            onRefreshAgents={loadAgents}
            onOpenTicket={open}
          />
        ) : (
          <main className="empty" aria-label="Conversation">
            <p>Select a conversation, or accept an offer.</p>
          </main>
        )}
      </div>
    </div>
  );
}
