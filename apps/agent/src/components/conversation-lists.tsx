import type { Offer, Ticket } from '@parlour/protocol';
import { ChannelIcon } from './channel-icon.js';

export type ListKind = 'mine' | 'conferences' | 'queue' | 'status';

const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;

/**
 * Mine, the chats I joined by conference (shown while there are any), the queue of my groups,
 * and tickets by status, with unread counts.
 */
export function ConversationLists({
  lists,
  unread,
  openTicketId,
  statusFilter,
  customers,
  onStatusFilter,
  onOpen,
  onRefresh,
}: {
  lists: Record<ListKind, Ticket[]>;
  unread: Record<string, number>;
  openTicketId: string | null;
  statusFilter: string;
  customers: ReadonlyMap<string, Offer['customer']>;
  onStatusFilter: (status: string) => void;
  onOpen: (ticketId: string) => void;
  onRefresh: () => void;
}) {
  const item = (list: ListKind) => (t: Ticket) => {
    const count = unread[t.conversationId] ?? 0;
    const customer = customers.get(t.id);
    return (
      <li key={`${list}-${t.id}`}>
        <button
          type="button"
          className={`ticket-item${t.id === openTicketId ? ' current' : ''}`}
          aria-current={t.id === openTicketId ? 'true' : undefined}
          data-testid={`ticket-item-${t.number}`}
          onClick={() => onOpen(t.id)}
        >
          <ChannelIcon channel={t.channel} />
          <span className="ticket-title">
            #{t.number} {t.subject ?? customer?.name ?? customer?.email ?? 'Conversation'}
          </span>
          <span className={`status-chip status-${t.status}`}>{t.status.replace('_', ' ')}</span>
          {count > 0 && (
            <span className="unread" data-testid="unread-count" aria-label={`${count} unread`}>
              {count}
            </span>
          )}
        </button>
      </li>
    );
  };
  return (
    <nav className="lists" aria-label="Conversations">
      <div className="lists-head">
        <h2>Conversations</h2>
        <button type="button" onClick={onRefresh} data-testid="lists-refresh">
          Refresh
        </button>
      </div>
      <section aria-labelledby="list-mine">
        <h3 id="list-mine">Mine ({lists.mine.length})</h3>
        <ul data-testid="list-mine">{lists.mine.map(item('mine'))}</ul>
      </section>
      {lists.conferences.length > 0 && (
        <section aria-labelledby="list-conferences">
          <h3 id="list-conferences">Conferences ({lists.conferences.length})</h3>
          <ul data-testid="list-conferences">{lists.conferences.map(item('conferences'))}</ul>
        </section>
      )}
      <section aria-labelledby="list-queue">
        <h3 id="list-queue">Queue ({lists.queue.length})</h3>
        <ul data-testid="list-queue">{lists.queue.map(item('queue'))}</ul>
      </section>
      <section aria-labelledby="list-status">
        <h3 id="list-status">
          <label>
            By status{' '}
            <select value={statusFilter} onChange={(e) => onStatusFilter(e.target.value)}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replace('_', ' ')}
                </option>
              ))}
            </select>
          </label>
        </h3>
        <ul data-testid="list-status">{lists.status.map(item('status'))}</ul>
      </section>
    </nav>
  );
}
