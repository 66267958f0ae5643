import { useEffect, useState } from 'react';
import type { AgentPresence, Group, WrapUpReason } from '@parlour/protocol';
import { api, describeError } from '../api.js';
import { filterByQuery } from '../list-filter.js';
import { Modal } from './modal.js';

/** A dialog's search field (seed 004): filters the lists below it as the agent types. */
function SearchField({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label className="dialog-search">
      <span>{label}</span>
      <input
        type="search"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
        autoComplete="off"
      />
    </label>
  );
}

/** Says so when the search leaves nothing in a list. */
function NoMatch({ query }: { query: string }) {
  return <p className="muted">Nothing matches “{query}”.</p>;
}

const agentTexts = (a: AgentPresence) => [a.name, a.email];

function StatusDot({ agent }: { agent: AgentPresence }) {
  const label = `${agent.status}${agent.online ? '' : ', not connected'}`;
  return (
    <span
      className={`dot dot-${agent.status}${agent.online ? '' : ' dot-away'}`}
      role="img"
      aria-label={label}
      title={label}
    />
  );
}

/** Transfer to a queue (group) or to an agent, with live statuses and a Refresh button. */
export function TransferDialog({
  ticketId,
  meId,
  groups,
  onRefreshAgents,
  onClose,
  onDone,
}: {
  ticketId: string;
  meId: string;
  groups: readonly Group[];
  onRefreshAgents: () => Promise<void>;
  onClose: () => void;
  onDone: () => void;
}) {
  const [agents, setAgents] = useState<AgentPresence[]>([]);
  const [query, setQuery] = useState('');
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function refresh() {
    try {
      setAgents(await api<AgentPresence[]>('GET', '/api/agents'));
      await onRefreshAgents();
    } catch (e) {
      setError(describeError(e));
    }
  }
  useEffect(() => {
    void refresh();
  }, []);

  async function transfer() {
    if (!target) {
      setError('Choose a queue or an agent.');
      return;
    }
    setBusy(true);
    setError(null);
    const [kind, id] = target.split(':');
    try {
      await api(
        'POST',
        `/api/tickets/${ticketId}/transfer`,
        kind === 'group' ? { groupId: id } : { agentId: id },
      );
      onDone();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  const shownGroups = filterByQuery(groups, query, (g) => [g.name]);
  const shownAgents = filterByQuery(
    agents.filter((a) => a.id !== meId),
    query,
    agentTexts,
  );
  return (
    <Modal title="Transfer conversation" onClose={onClose} testId="transfer-dialog">
      <div className="dialog-body">
        <SearchField
          label="Search queues and agents"
          value={query}
          onChange={setQuery}
          testId="transfer-search"
        />
        <fieldset>
          <legend>Queues</legend>
          {shownGroups.length === 0 && <NoMatch query={query} />}
          {shownGroups.map((g) => (
            <label key={g.id} className="choice">
              <input
                type="radio"
                name="transfer-target"
                value={`group:${g.id}`}
                checked={target === `group:${g.id}`}
                onChange={() => setTarget(`group:${g.id}`)}
                data-testid={`transfer-group-${g.name}`}
              />
              {g.name}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Agents</legend>
          {shownAgents.length === 0 && <NoMatch query={query} />}
          {shownAgents.map((a) => (
            <label key={a.id} className="choice">
              <input
                type="radio"
                name="transfer-target"
                value={`agent:${a.id}`}
                checked={target === `agent:${a.id}`}
                onChange={() => setTarget(`agent:${a.id}`)}
                data-testid={`transfer-agent-${a.email}`}
              />
              <StatusDot agent={a} /> {a.name} <span className="muted">({a.status})</span>
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="error" role="alert" data-testid="transfer-error">
            {error}
          </p>
        )}
      </div>
      <footer className="actions">
        <button type="button" onClick={() => void refresh()} data-testid="transfer-refresh">
          Refresh
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void transfer()}
          data-testid="transfer-submit"
        >
          Transfer
        </button>
      </footer>
    </Modal>
  );
}

/** Invite another agent into the chat (conference). */
export function ConferenceDialog({
  conversationId,
  excludeIds,
  onClose,
  onDone,
}: {
  conversationId: string;
  /** Who cannot be invited: the agents already in the chat (its assignee, you, any guest). */
  excludeIds: readonly string[];
  onClose: () => void;
  onDone: () => void;
}) {
  const [agents, setAgents] = useState<AgentPresence[]>([]);
  const [query, setQuery] = useState('');
  const [agentId, setAgentId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const refresh = () =>
    api<AgentPresence[]>('GET', '/api/agents')
      .then(setAgents)
      .catch((e: unknown) => setError(describeError(e)));
  useEffect(() => {
    void refresh();
  }, []);
  async function invite() {
    if (!agentId) {
      setError('Choose an agent.');
      return;
    }
    try {
      await api('POST', `/api/conversations/${conversationId}/conference`, { agentId });
      onDone();
    } catch (e) {
      setError(describeError(e));
    }
  }
  const shown = filterByQuery(
    agents.filter((a) => !excludeIds.includes(a.id)),
    query,
    agentTexts,
  );
  return (
    <Modal title="Invite to a conference" onClose={onClose} testId="conference-dialog">
      <div className="dialog-body">
        <SearchField
          label="Search agents"
          value={query}
          onChange={setQuery}
          testId="conference-search"
        />
        <fieldset>
          <legend>Agents</legend>
          {shown.length === 0 && <NoMatch query={query} />}
          {shown.map((a) => (
            <label key={a.id} className="choice">
              <input
                type="radio"
                name="conference-agent"
                checked={agentId === a.id}
                onChange={() => setAgentId(a.id)}
                data-testid={`conference-agent-${a.email}`}
              />
              <StatusDot agent={a} /> {a.name} <span className="muted">({a.status})</span>
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="error" role="alert" data-testid="conference-error">
            {error}
          </p>
        )}
      </div>
      <footer className="actions">
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void invite()}
          data-testid="conference-submit"
        >
          Invite
        </button>
      </footer>
    </Modal>
  );
}

/** End the chat with one or more wrap-up reasons (seed 004). */
export function WrapUpDialog({
  ticketId,
  conversationId,
  sessionActive,
  onClose,
  onDone,
}: {
  ticketId: string;
  conversationId: string;
  sessionActive: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const [reasons, setReasons] = useState<WrapUpReason[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<WrapUpReason[]>('GET', '/api/wrap-up-reasons')
      .then((list) => setReasons(list.filter((r) => r.active)))
      .catch((e: unknown) => setError(describeError(e)));
  }, []);
  async function end() {
    if (chosen.length === 0) {
      setError('Choose at least one wrap-up reason.');
      return;
    }
    setError(null);
    try {
      if (sessionActive)
        await api('POST', `/api/conversations/${conversationId}/end-session`, {
          reason: 'ended_by_agent',
          wrapUpReasonIds: chosen,
        });
      else await api('POST', `/api/tickets/${ticketId}/wrap-up`, { reasonIds: chosen });
      onDone();
    } catch (e) {
      setError(describeError(e));
    }
  }
  const shown = filterByQuery(reasons, query, (r) => [r.name]);
  return (
    <Modal title="End chat: wrap-up" onClose={onClose} testId="wrap-up-dialog">
      <div className="dialog-body">
        <SearchField
          label="Search wrap-up reasons"
          value={query}
          onChange={setQuery}
          testId="wrap-up-search"
        />
        <fieldset>
          <legend>Wrap-up reasons (one or more)</legend>
          {reasons.length === 0 && <p className="muted">No wrap-up reasons are set up.</p>}
          {reasons.length > 0 && shown.length === 0 && <NoMatch query={query} />}
          {shown.map((r) => (
            <label key={r.id} className="choice">
              <input
                type="checkbox"
                checked={chosen.includes(r.id)}
                onChange={(e) =>
                  setChosen((c) => (e.target.checked ? [...c, r.id] : c.filter((x) => x !== r.id)))
                }
                data-testid={`wrap-up-reason-${r.name}`}
              />
              {r.name}
            </label>
          ))}
        </fieldset>
        {chosen.length > 0 && (
          <p className="muted" data-testid="wrap-up-chosen">
            Chosen:{' '}
            {reasons
              .filter((r) => chosen.includes(r.id))
              .map((r) => r.name)
              .join(', ')}
          </p>
        )}
        {error && (
          <p className="error" role="alert" data-testid="wrap-up-error">
            {error}
          </p>
        )}
      </div>
      <footer className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void end()}
          data-testid="wrap-up-submit"
        >
          End chat
        </button>
      </footer>
    </Modal>
  );
}
