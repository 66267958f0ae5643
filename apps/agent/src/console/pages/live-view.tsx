import { useEffect, useRef, useState } from 'react';
import type {
  AgentStatus,
  FeedEntry,
  LiveAgent,
  LiveConversation,
  LiveMonitorReply,
} from '@parlour/protocol';
import { api } from '../../api.js';
import { SocketClient, type ConnectionState, type SocketLike } from '../../socket-client.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import {
  applyUpdate,
  elapsedMs,
  formatDuration,
  fromSnapshot,
  sortAgents,
  STATUS_LABEL,
  type ScreenModel,
} from './live-view-model.js';
import './live-view.css';

interface IdleReason {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
}

type Mode = 'monitor' | 'whisper' | 'barge' | 'reassign';
interface Focus {
  readonly conversation: LiveConversation;
  readonly agentName: string;
  readonly mode: Mode;
}

/** A clock for the durations: re-renders every second. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * The supervisors' live view: queues and agents of their groups, pushed over the socket
 * (live.subscribe: a snapshot, then rows that changed), durations ticking, and actions per agent
 * (set status) and per open conversation (monitor, whisper, barge in, reassign).
 */
export default function LiveViewPage(_props: PageProps) {
  const [screen, setScreen] = useState<ScreenModel | null>(null);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [refused, setRefused] = useState<string | null>(null);
  const [focus, setFocus] = useState<Focus | null>(null);
  const [entries, setEntries] = useState<FeedEntry[]>([]);
  const socketRef = useRef<SocketClient | null>(null);
  const focusRef = useRef<string | null>(null);
  focusRef.current = focus?.conversation.conversationId ?? null;
  const now = useNow();
  const reasons = useLoad<IdleReason[]>('/api/idle-reasons');

  useEffect(() => {
    const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new SocketClient({
      open: () => new WebSocket(`${protocol}//${window.location.host}/ws`) as unknown as SocketLike,
      handlers: {
        state: setConnection,
        entry: (entry) => {
          if (entry.conversationId === focusRef.current) setEntries((list) => [...list, entry]);
        },
        frame: (frame) => {
          // After every (re)connect the live view is asked for again: a fresh snapshot.
          if (frame.type === 'welcome')
            socket.sendTransient({ type: 'live.subscribe', ref: 'live' });
          else if (frame.type === 'live.snapshot') {
            setRefused(null);
            setScreen(fromSnapshot(frame.model, Date.now()));
          } else if (frame.type === 'live.update')
            setScreen((s) => applyUpdate(s, frame.update, Date.now()));
          else if (frame.type === 'error' && frame.ref === 'live') setRefused(frame.message);
        },
      },
    });
    socketRef.current = socket;
    socket.connect();
    return () => socket.stop();
  }, []);

  const model = screen?.model ?? null;
  const since = (iso: string) => formatDuration(elapsedMs(iso, now, screen?.offsetMs ?? 0));

  return (
    <div className="live-view" data-testid="live-view-page">
      <PageHeader title="Live view">
        <span
          className={`live-connection live-${connection}`}
          role="status"
          data-testid="live-connection"
        >
          {connection === 'open'
            ? 'Live'
            : connection === 'connecting'
              ? 'Connecting…'
              : 'Reconnecting…'}
        </span>
      </PageHeader>
      {refused && (
        <p className="error" role="alert">
          {refused}
        </p>
      )}
      {!model && !refused && <LoadState error={null} loading />}
      {model && (
        <>
          <section aria-labelledby="live-queues-title">
            <h3 id="live-queues-title">Queues</h3>
            {model.queues.length === 0 ? (
              <p className="people-intro">You are not a member of any group yet.</p>
            ) : (
              <table data-testid="live-queues">
                <thead>
                  <tr>
                    <th scope="col">Queue</th>
                    <th scope="col">Waiting</th>
                    <th scope="col">Longest wait</th>
                    <th scope="col">Offers pending</th>
                    <th scope="col">Missed (30 min)</th>
                  </tr>
                </thead>
                <tbody>
                  {model.queues.map((q) => (
                    <tr key={q.groupId} data-testid={`live-queue-${q.groupId}`}>
                      <th scope="row">{q.name}</th>
                      <td data-testid="live-queue-waiting">{q.waiting}</td>
                      <td data-testid="live-queue-longest">
                        {q.longestWaitingSince ? since(q.longestWaitingSince) : '—'}
                      </td>
                      <td data-testid="live-queue-offers">{q.offersPending}</td>
                      <td
                        data-testid="live-queue-missed"
                        className={q.missedLast30m > 0 ? 'live-missed' : undefined}
                      >
                        {q.missedLast30m}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="live-agents-title">
            <h3 id="live-agents-title">Agents</h3>
            <table data-testid="live-agents" className="live-agents">
              <thead>
                <tr>
                  <th scope="col">Agent</th>
                  <th scope="col">Status</th>
                  <th scope="col">For</th>
                  <th scope="col">Messaging</th>
                  <th scope="col">Email</th>
                  <th scope="col">Open conversations</th>
                  <th scope="col">Set status</th>
                </tr>
              </thead>
              <tbody>
                {sortAgents(model.agents).map((a) => (
                  <AgentRow
                    key={a.id}
                    agent={a}
                    duration={since(a.statusSince)}
                    reasons={(reasons.data ?? []).filter((r) => r.active)}
                    onAction={(conversation, mode) =>
                      openFocus({ conversation, agentName: a.name, mode })
                    }
                  />
                ))}
              </tbody>
            </table>
          </section>
          {focus && (
            <ConversationPanel
              key={focus.conversation.conversationId}
              focus={focus}
              entries={entries}
              agents={model.agents}
              queues={model.queues.map((q) => ({ id: q.groupId, name: q.name }))}
              onMode={(mode) => setFocus({ ...focus, mode })}
              onClose={() => closeFocus()}
            />
          )}
        </>
      )}
    </div>
  );

  /** Follows the conversation silently: its feed so far, then live entries over the socket. */
  function openFocus(next: Focus): void {
    const socket = socketRef.current;
    if (focus && focus.conversation.conversationId !== next.conversation.conversationId)
      socket?.unsubscribe(focus.conversation.conversationId);
    setFocus(next);
    if (focus?.conversation.conversationId === next.conversation.conversationId) return;
    setEntries([]);
    const id = next.conversation.conversationId;
    void api<LiveMonitorReply>('POST', `/api/live/conversations/${id}/monitor`)
      .then(async () => {
        const feed = await api<FeedEntry[]>('GET', `/api/conversations/${id}/events?after=0`);
        if (focusRef.current !== id) return;
        setEntries(feed);
        socket?.subscribe(id, feed.at(-1)?.seq ?? 0);
      })
      .catch(() => undefined);
  }

  function closeFocus(): void {
    if (focus) socketRef.current?.unsubscribe(focus.conversation.conversationId);
    setFocus(null);
    setEntries([]);
  }
}

function AgentRow({
  agent,
  duration,
  reasons,
  onAction,
}: {
  agent: LiveAgent;
  duration: string;
  reasons: readonly IdleReason[];
  onAction: (conversation: LiveConversation, mode: Mode) => void;
}) {
  const submit = useSubmit();
  const [choice, setChoice] = useState('available');
  const setStatus = (status: AgentStatus, idleReasonId: string | null = null) =>
    submit.run(
      () => api('PUT', `/api/agents/${agent.id}/status`, { status, idleReasonId }),
      `${agent.name}: ${STATUS_LABEL[status]}`,
    );
  const load = (c: LiveAgent['messaging']) => (
    <span title={`${c.free} free`}>
      {c.used}/{c.capacity}
      <span className="live-free"> · {c.free} free</span>
    </span>
  );
  return (
    <tr data-testid={`live-agent-${agent.id}`} className={`live-agent live-agent-${agent.status}`}>
      <th scope="row">
        {agent.name}
        {!agent.online && <span className="live-offline-note"> (no window open)</span>}
      </th>
      <td>
        <span className={`dot dot-${agent.status}`} aria-hidden="true" />{' '}
        <span data-testid="live-agent-status">{STATUS_LABEL[agent.status]}</span>
        {agent.idleReason && <span className="live-reason"> · {agent.idleReason}</span>}
      </td>
      <td data-testid="live-agent-since">{duration}</td>
      <td data-testid="live-agent-messaging">{load(agent.messaging)}</td>
      <td data-testid="live-agent-email">{load(agent.email)}</td>
      <td className="live-conversations-cell">
        {agent.conversations.length === 0 ? (
          <span className="live-none">None</span>
        ) : (
          <ul className="live-conversations">
            {agent.conversations.map((c) => (
              <li key={c.conversationId} data-testid={`live-conversation-${c.conversationId}`}>
                <span className="live-conversation-title">
                  #{c.ticketNumber} {c.customerName ?? 'Customer'}
                  {c.subject ? ` — ${c.subject}` : ''}
                </span>
                <span className="live-conversation-actions">
                  {(['monitor', 'whisper', 'barge', 'reassign'] as const).map((mode) => (
                    <button
                      key={mode}
                      type="button"
                      className="live-link"
                      data-testid={`live-${mode}`}
                      aria-label={`${MODE_LABEL[mode]} #${c.ticketNumber}`}
                      onClick={() => onAction(c, mode)}
                    >
                      {MODE_LABEL[mode]}
                    </button>
                  ))}
                </span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <div className="live-status-actions">
          {agent.status !== 'available' && (
            <button
              type="button"
              data-testid="live-set-available"
              disabled={submit.busy}
              onClick={() => void setStatus('available')}
            >
              Set Available
            </button>
          )}
          <select
            aria-label={`New status for ${agent.name}`}
            data-testid="live-status-choice"
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
          >
            <option value="available">Available</option>
            {reasons.map((r) => (
              <option key={r.id} value={`idle:${r.id}`}>
                Idle — {r.name}
              </option>
            ))}
            <option value="offline">Offline</option>
          </select>
          <button
            type="button"
            data-testid="live-apply-status"
            disabled={submit.busy}
            onClick={() =>
              void (choice.startsWith('idle:')
                ? setStatus('idle', choice.slice(5))
                : setStatus(choice as AgentStatus))
            }
          >
            Set
          </button>
        </div>
        <FormStatus submission={submit} />
      </td>
    </tr>
  );
}

const MODE_LABEL: Readonly<Record<Mode, string>> = {
  monitor: 'Monitor',
  whisper: 'Whisper',
  barge: 'Barge in',
  reassign: 'Reassign',
};

function ConversationPanel({
  focus,
  entries,
  agents,
  queues,
  onMode,
  onClose,
}: {
  focus: Focus;
  entries: readonly FeedEntry[];
  agents: readonly LiveAgent[];
  queues: readonly { id: string; name: string }[];
  onMode: (mode: Mode) => void;
  onClose: () => void;
}) {
  const { conversation, mode } = focus;
  const submit = useSubmit();
  const [text, setText] = useState('');
  const [target, setTarget] = useState('');
  const base = `/api/live/conversations/${conversation.conversationId}`;
  return (
    <section
      className="card live-panel"
      aria-labelledby="live-panel-title"
      data-testid="live-panel"
    >
      <div className="live-panel-head">
        <h3 id="live-panel-title">
          #{conversation.ticketNumber} {conversation.customerName ?? 'Customer'} · with{' '}
          {focus.agentName}
        </h3>
        <button
          type="button"
          className="live-link"
          onClick={onClose}
          data-testid="live-panel-close"
        >
          Close
        </button>
      </div>
      <p className="live-panel-note">
        Monitoring silently: the customer and the agent see nothing until you whisper or barge in.
      </p>
      <ol className="live-feed" data-testid="live-feed" aria-label="Conversation so far">
        {entries.map((e) => (
          <FeedLine key={e.seq} entry={e} />
        ))}
      </ol>
      <div className="live-modes" role="group" aria-label="Action">
        {(['whisper', 'barge', 'reassign'] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={mode === m}
            data-testid={`live-mode-${m}`}
            onClick={() => onMode(m)}
          >
            {MODE_LABEL[m]}
          </button>
        ))}
      </div>
      {(mode === 'whisper' || mode === 'barge') && (
        <form
          noValidate
          data-testid="live-note-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit
              .run(
                () => api('POST', `${base}/${mode}`, { body: text }),
                mode === 'whisper' ? 'Whispered to the agent' : 'Sent to the customer',
              )
              .then((r) => r && setText(''));
          }}
        >
          <Field
            label={mode === 'whisper' ? 'Whisper (only staff see it)' : 'Message to the customer'}
            name="body"
            error={submit.fieldError('body')}
          >
            {(props) => (
              <textarea
                {...props}
                rows={2}
                value={text}
                data-testid="live-note-text"
                onChange={(e) => setText(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" disabled={submit.busy} data-testid="live-note-send">
            {mode === 'whisper' ? 'Whisper' : 'Barge in'}
          </button>
          <FormStatus submission={submit} claimed={['body']} />
        </form>
      )}
      {mode === 'reassign' && (
        <form
          noValidate
          data-testid="live-reassign-form"
          onSubmit={(e) => {
            e.preventDefault();
            const [kind, id] = target.split(':');
            void submit.run(
              () =>
                api(
                  'POST',
                  `${base}/reassign`,
                  kind === 'group' ? { groupId: id } : { agentId: id },
                ),
              'Reassigned',
            );
          }}
        >
          <Field label="Reassign to" name="agentId" error={submit.fieldError('agentId')}>
            {(props) => (
              <select
                {...props}
                value={target}
                data-testid="live-reassign-target"
                onChange={(e) => setTarget(e.target.value)}
              >
                <option value="">Choose…</option>
                <optgroup label="Agents">
                  {agents.map((a) => (
                    <option key={a.id} value={`agent:${a.id}`}>
                      {a.name} ({STATUS_LABEL[a.status]})
                    </option>
                  ))}
                </optgroup>
                <optgroup label="Queues">
                  {queues.map((q) => (
                    <option key={q.id} value={`group:${q.id}`}>
                      {q.name}
                    </option>
                  ))}
                </optgroup>
              </select>
            )}
          </Field>
          <button
            type="submit"
            disabled={submit.busy || target === ''}
            data-testid="live-reassign-send"
          >
            Reassign
          </button>
          <FormStatus submission={submit} claimed={['agentId']} />
        </form>
      )}
    </section>
  );
}

function FeedLine({ entry }: { entry: FeedEntry }) {
  const event = entry.event;
  if (event.type === 'message.created') {
    const m = event.message;
    return (
      <li className={`live-line live-line-${m.kind}`}>
        <span className="live-line-who">
          {m.authorType === 'end_user' ? 'Customer' : m.authorType === 'user' ? 'Staff' : 'Bot'}
          {m.kind === 'internal' ? ' (internal)' : ''}:
        </span>{' '}
        {m.body}
      </li>
    );
  }
  if (event.type === 'agent.joined' || event.type === 'agent.left')
    return (
      <li className="live-line live-line-event">
        {event.agentName} {event.type === 'agent.joined' ? 'joined' : 'left'}
      </li>
    );
  return null;
}
