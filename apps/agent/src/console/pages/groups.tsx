import { useEffect, useMemo, useState } from 'react';
import type { Group, User } from '@parlour/protocol';
import { api, describeError } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import {
  Chip,
  EmptyState,
  PeopleTable,
  formatSeconds,
  numberOrNull,
  numberOrText,
} from './people-kit.js';

type Strategy = 'most_spare_capacity' | 'round_robin' | 'least_open';
interface GroupRouting {
  readonly groupId: string;
  readonly strategy: Strategy;
  readonly onlyOnline: boolean;
  readonly offerTimeoutS: number;
  readonly autoAccept: boolean;
  readonly reassignAfterS: number | null;
  readonly skillRelaxAfterS: number | null;
  readonly overflowGroupId: string | null;
  readonly overflowAfterS: number | null;
}

const STRATEGIES: readonly { value: Strategy; label: string; text: string }[] = [
  {
    value: 'most_spare_capacity',
    label: 'Most spare capacity',
    text: 'The agent with the most free room in the ticket’s channel.',
  },
  {
    value: 'round_robin',
    label: 'Round robin',
    text: 'Agents take turns: the one offered a ticket longest ago goes first.',
  },
  {
    value: 'least_open',
    label: 'Least open conversations',
    text: 'The agent with the fewest open tickets.',
  },
];
const BASE = '/agent/console/groups';

/** Each group's routing settings, read together (one request per group). */
function useRoutings(groups: readonly Group[] | null, tick: number) {
  const [routings, setRoutings] = useState<ReadonlyMap<string, GroupRouting>>(new Map());
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!groups) return;
    let live = true;
    Promise.all(groups.map((g) => api<GroupRouting>('GET', `/api/groups/${g.id}/routing`)))
      .then((list) => live && setRoutings(new Map(list.map((r) => [r.groupId, r]))))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [groups, tick]);
  return { routings, error };
}

/** Groups (queues, teams): create, rename, members, and how each routes its tickets. */
export default function GroupsPage({ navigate, rest }: PageProps) {
  const groups = useLoad<Group[]>('/api/groups');
  const users = useLoad<User[]>('/api/users');
  const [tick, setTick] = useState(0);
  const { routings, error: routingError } = useRoutings(groups.data, tick);
  const [creating, setCreating] = useState(false);
  const reload = () => {
    groups.reload();
    setTick((t) => t + 1);
  };
  const userName = useMemo(
    () => new Map((users.data ?? []).map((u) => [u.id, u.name])),
    [users.data],
  );
  const groupName = useMemo(
    () => new Map((groups.data ?? []).map((g) => [g.id, g.name])),
    [groups.data],
  );
  const selected = rest ? groups.data?.find((g) => g.id === rest) : undefined;

  return (
    <div data-testid="groups-page">
      <PageHeader title="Groups and queues">
        <button
          type="button"
          className="primary"
          data-testid="group-new"
          aria-expanded={creating}
          onClick={() => setCreating((c) => !c)}
        >
          New group
        </button>
      </PageHeader>
      <p className="people-intro">
        A group is a queue: tickets handed to it are offered to its members by its strategy. Members
        need the ticket’s skills and spare capacity, and must be Available.
      </p>

      {creating && (
        <CreateGroupForm
          onCancel={() => setCreating(false)}
          onCreated={(g) => {
            setCreating(false);
            reload();
            navigate(`${BASE}/${g.id}`);
          }}
        />
      )}

      {selected && (
        <GroupDetail
          key={selected.id}
          group={selected}
          groups={groups.data ?? []}
          users={users.data ?? []}
          routing={routings.get(selected.id)}
          onChanged={reload}
          onClose={() => navigate(BASE)}
        />
      )}
      {rest && groups.data && !groups.loading && !selected && (
        <p className="error" role="alert">
          No such group.
        </p>
      )}

      <LoadState error={groups.error ?? routingError} loading={groups.loading && !groups.data} />
      {groups.data && groups.data.length === 0 && (
        <EmptyState title="No groups yet" testId="groups-empty">
          Create a group for each queue or team, then add its agents.
        </EmptyState>
      )}
      {groups.data && groups.data.length > 0 && (
        <PeopleTable label="Groups" testId="groups-table">
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Members</th>
              <th scope="col">Strategy</th>
              <th scope="col">Offer timeout</th>
              <th scope="col">Rules</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.data.map((g) => {
              const r = routings.get(g.id);
              return (
                <tr
                  key={g.id}
                  data-testid="group-row"
                  data-group-id={g.id}
                  className={g.id === selected?.id ? 'people-selected' : ''}
                >
                  <td>
                    <strong>{g.name}</strong>
                    {g.description && (
                      <>
                        <br />
                        <span className="muted">{g.description}</span>
                      </>
                    )}
                  </td>
                  <td data-testid="group-members">
                    {g.memberIds.length === 0 ? (
                      <span className="muted">nobody</span>
                    ) : (
                      <>
                        {g.memberIds.slice(0, 4).map((id) => (
                          <Chip key={id}>{userName.get(id) ?? '…'}</Chip>
                        ))}
                        {g.memberIds.length > 4 && (
                          <span className="muted">+{g.memberIds.length - 4} more</span>
                        )}
                      </>
                    )}
                  </td>
                  <td data-testid="group-strategy">
                    {r ? STRATEGIES.find((s) => s.value === r.strategy)?.label : '…'}
                  </td>
                  <td data-testid="group-offer-timeout">
                    {r ? formatSeconds(r.offerTimeoutS) : '…'}
                  </td>
                  <td>
                    {r && (
                      <>
                        {r.onlyOnline && <Chip>Only online</Chip>}
                        {r.autoAccept && <Chip>Auto-accept</Chip>}
                        {r.reassignAfterS !== null && (
                          <Chip>Reassign after {formatSeconds(r.reassignAfterS)}</Chip>
                        )}
                        {r.overflowGroupId !== null && (
                          <Chip>
                            Overflow to {groupName.get(r.overflowGroupId) ?? '…'}
                            {r.overflowAfterS !== null
                              ? ` after ${formatSeconds(r.overflowAfterS)}`
                              : ''}
                          </Chip>
                        )}
                      </>
                    )}
                  </td>
                  <td className="people-actions">
                    <button
                      type="button"
                      data-testid="group-edit"
                      aria-label={`Edit ${g.name}`}
                      onClick={() => navigate(`${BASE}/${g.id}`)}
                    >
                      Edit
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </PeopleTable>
      )}
    </div>
  );
}

function CreateGroupForm({
  onCreated,
  onCancel,
}: {
  onCreated: (group: Group) => void;
  onCancel: () => void;
}) {
  const submit = useSubmit();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  return (
    <form
      className="card"
      noValidate
      aria-label="New group"
      data-testid="group-create"
      onSubmit={(e) => {
        e.preventDefault();
        void submit
          .run(
            () =>
              api<Group>('POST', '/api/groups', {
                name,
                ...(description.trim() ? { description } : {}),
              }),
            'Created',
          )
          .then((g) => g && onCreated(g));
      }}
    >
      <div className="people-card-head">
        <h3>New group</h3>
      </div>
      <div className="people-form-row">
        <Field label="Name" name="name" error={submit.fieldError('name')}>
          {(p) => (
            <input
              {...p}
              value={name}
              placeholder="e.g. Billing, Tier 2"
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label="Description" name="description" error={submit.fieldError('description')}>
          {(p) => (
            <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />
          )}
        </Field>
      </div>
      <div className="people-form-buttons">
        <button type="submit" className="primary" disabled={submit.busy}>
          Create group
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <FormStatus submission={submit} claimed={['name', 'description']} />
      </div>
    </form>
  );
}

function GroupDetail({
  group,
  groups,
  users,
  routing,
  onChanged,
  onClose,
}: {
  group: Group;
  groups: readonly Group[];
  users: readonly User[];
  routing: GroupRouting | undefined;
  onChanged: () => void;
  onClose: () => void;
}) {
  return (
    <section
      className="people-detail"
      aria-label={`Edit ${group.name}`}
      data-testid="group-detail"
      data-group-id={group.id}
    >
      <PageHeader title={group.name}>
        <button type="button" onClick={onClose} data-testid="group-detail-close">
          Close
        </button>
      </PageHeader>
      <div className="people-grid">
        <div>
          <GroupNameForm group={group} onChanged={onChanged} />
          <MembersForm group={group} users={users} onChanged={onChanged} />
        </div>
        {routing ? (
          <RoutingForm group={group} groups={groups} routing={routing} onChanged={onChanged} />
        ) : (
          <p className="loading" role="status">
            Loading routing…
          </p>
        )}
      </div>
    </section>
  );
}

function GroupNameForm({ group, onChanged }: { group: Group; onChanged: () => void }) {
  const save = useSubmit();
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description ?? '');
  return (
    <form
      className="card"
      noValidate
      aria-label="Name and description"
      data-testid="group-name-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save
          .run(() =>
            api<Group>('PATCH', `/api/groups/${group.id}`, {
              name,
              description: description.trim() ? description : null,
            }),
          )
          .then((done) => done && onChanged());
      }}
    >
      <div className="people-card-head">
        <h3>Name</h3>
      </div>
      <Field label="Name" name="name" error={save.fieldError('name')}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Description" name="description" error={save.fieldError('description')}>
        {(p) => (
          <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />
        )}
      </Field>
      <div className="people-form-buttons">
        <button type="submit" className="primary" disabled={save.busy}>
          Save name
        </button>
        <FormStatus submission={save} claimed={['name', 'description']} />
      </div>
    </form>
  );
}

function MembersForm({
  group,
  users,
  onChanged,
}: {
  group: Group;
  users: readonly User[];
  onChanged: () => void;
}) {
  const save = useSubmit();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(group.memberIds));
  // Deactivated accounts are listed only while they are still members (to take them out).
  const candidates = users.filter((u) => u.active || group.memberIds.includes(u.id));
  return (
    <form
      className="card"
      noValidate
      aria-label="Members"
      data-testid="group-members-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save
          .run(() => api<Group>('PATCH', `/api/groups/${group.id}`, { memberIds: [...chosen] }))
          .then((done) => done && onChanged());
      }}
    >
      <div className="people-card-head">
        <h3>Members</h3>
        <span className="muted">{chosen.size} selected</span>
      </div>
      {candidates.length === 0 ? (
        <p className="muted">No staff members yet.</p>
      ) : (
        <fieldset className="people-checks">
          <legend>Members of {group.name}</legend>
          {candidates.map((u) => (
            <label key={u.id}>
              <input
                type="checkbox"
                checked={chosen.has(u.id)}
                onChange={(e) =>
                  setChosen((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(u.id);
                    else next.delete(u.id);
                    return next;
                  })
                }
              />
              {u.name}
              <span className="muted">
                {u.role === 'agent' ? '' : ` · ${u.role}`}
                {u.active ? '' : ' · deactivated'}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {save.fieldError('memberIds') && (
        <p className="field-error" role="alert" data-testid="field-error-memberIds">
          {save.fieldError('memberIds')}
        </p>
      )}
      <div className="people-form-buttons">
        <button type="submit" className="primary" disabled={save.busy}>
          Save members
        </button>
        <FormStatus submission={save} claimed={['memberIds']} />
      </div>
    </form>
  );
}

const secondsText = (s: number | null) => (s === null ? '' : String(s));

function RoutingForm({
  group,
  groups,
  routing,
  onChanged,
}: {
  group: Group;
  groups: readonly Group[];
  routing: GroupRouting;
  onChanged: () => void;
}) {
  const save = useSubmit();
  const [form, setForm] = useState({
    strategy: routing.strategy,
    onlyOnline: routing.onlyOnline,
    autoAccept: routing.autoAccept,
    offerTimeoutS: String(routing.offerTimeoutS),
    reassignAfterS: secondsText(routing.reassignAfterS),
    skillRelaxAfterS: secondsText(routing.skillRelaxAfterS),
    overflowGroupId: routing.overflowGroupId ?? '',
    overflowAfterS: secondsText(routing.overflowAfterS),
  });
  const text =
    (key: 'offerTimeoutS' | 'reassignAfterS' | 'skillRelaxAfterS' | 'overflowAfterS') =>
    (e: { target: { value: string } }) =>
      setForm((f) => ({ ...f, [key]: e.target.value }));
  const flag = (key: 'onlyOnline' | 'autoAccept') => (e: { target: { checked: boolean } }) =>
    setForm((f) => ({ ...f, [key]: e.target.checked }));
  const others = groups.filter((g) => g.id !== group.id);
  const claimed = [
    'strategy',
    'onlyOnline',
    'autoAccept',
    'offerTimeoutS',
    'reassignAfterS',
    'skillRelaxAfterS',
    'overflowGroupId',
    'overflowAfterS',
  ];
  return (
    <form
      className="card"
      noValidate
      aria-label="Routing"
      data-testid="group-routing-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save
          .run(() =>
            api<GroupRouting>('PATCH', `/api/groups/${group.id}/routing`, {
              strategy: form.strategy,
              onlyOnline: form.onlyOnline,
              autoAccept: form.autoAccept,
              offerTimeoutS: numberOrText(form.offerTimeoutS),
              reassignAfterS: numberOrNull(form.reassignAfterS),
              skillRelaxAfterS: numberOrNull(form.skillRelaxAfterS),
              overflowGroupId: form.overflowGroupId || null,
              overflowAfterS: numberOrNull(form.overflowAfterS),
            }),
          )
          .then((done) => done && onChanged());
      }}
    >
      <div className="people-card-head">
        <h3>Routing</h3>
      </div>
      <Field
        label="Strategy"
        name="strategy"
        error={save.fieldError('strategy')}
        hint={STRATEGIES.find((s) => s.value === form.strategy)?.text ?? ''}
      >
        {(p) => (
          <select
            {...p}
            value={form.strategy}
            data-testid="routing-strategy"
            onChange={(e) => setForm((f) => ({ ...f, strategy: e.target.value as Strategy }))}
          >
            {STRATEGIES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Offer timeout (seconds)"
        name="offerTimeoutS"
        error={save.fieldError('offerTimeoutS')}
        hint="How long an agent has to accept an offer; then it goes back to the queue and the agent becomes RONA. 5 to 3600."
      >
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="numeric"
            value={form.offerTimeoutS}
            data-testid="routing-offer-timeout"
            onChange={text('offerTimeoutS')}
          />
        )}
      </Field>
      <div className="people-check">
        <input
          type="checkbox"
          id={`only-online-${group.id}`}
          checked={form.onlyOnline}
          data-testid="routing-only-online"
          onChange={flag('onlyOnline')}
        />
        <label htmlFor={`only-online-${group.id}`}>
          Only agents who are online (an open workspace)
        </label>
      </div>
      {save.fieldError('onlyOnline') && (
        <p className="field-error" role="alert">
          {save.fieldError('onlyOnline')}
        </p>
      )}
      <div className="people-check">
        <input
          type="checkbox"
          id={`auto-accept-${group.id}`}
          checked={form.autoAccept}
          data-testid="routing-auto-accept"
          onChange={flag('autoAccept')}
        />
        <label htmlFor={`auto-accept-${group.id}`}>
          Auto-accept: assign at once instead of offering
        </label>
      </div>
      {save.fieldError('autoAccept') && (
        <p className="field-error" role="alert">
          {save.fieldError('autoAccept')}
        </p>
      )}
      <Field
        label="Reassign after (seconds)"
        name="reassignAfterS"
        error={save.fieldError('reassignAfterS')}
        hint="If the first agent has not answered the customer by then, the ticket goes back to the queue. Empty: never."
      >
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="numeric"
            value={form.reassignAfterS}
            data-testid="routing-reassign-after"
            onChange={text('reassignAfterS')}
          />
        )}
      </Field>
      <Field
        label="Relax required skills after (seconds)"
        name="skillRelaxAfterS"
        error={save.fieldError('skillRelaxAfterS')}
        hint="A ticket nobody with the skills takes is offered to any member after this wait. Empty: never."
      >
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="numeric"
            value={form.skillRelaxAfterS}
            data-testid="routing-skill-relax"
            onChange={text('skillRelaxAfterS')}
          />
        )}
      </Field>
      <div className="people-form-row">
        <Field
          label="Secondary group (overflow)"
          name="overflowGroupId"
          error={save.fieldError('overflowGroupId')}
        >
          {(p) => (
            <select
              {...p}
              value={form.overflowGroupId}
              data-testid="routing-overflow-group"
              onChange={(e) => setForm((f) => ({ ...f, overflowGroupId: e.target.value }))}
            >
              <option value="">None</option>
              {others.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Overflow after (seconds)"
          name="overflowAfterS"
          error={save.fieldError('overflowAfterS')}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              inputMode="numeric"
              value={form.overflowAfterS}
              data-testid="routing-overflow-after"
              onChange={text('overflowAfterS')}
            />
          )}
        </Field>
      </div>
      <p className="field-hint">
        A ticket still waiting after the overflow time moves to the secondary group and is offered
        to its members.
      </p>
      <div className="people-form-buttons">
        <button type="submit" className="primary" disabled={save.busy} data-testid="routing-save">
          Save routing
        </button>
        <FormStatus submission={save} claimed={claimed} />
      </div>
    </form>
  );
}
