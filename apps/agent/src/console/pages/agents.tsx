import { useMemo, useState } from 'react';
import type { AgentPresence, Group, User } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { Chip, ConfirmButton, EmptyState, PeopleTable, numberOrText } from './people-kit.js';

interface Skill {
  readonly id: string;
  readonly name: string;
}
interface RoutingDefaults {
  readonly messagingCapacity: number;
  readonly emailCapacity: number;
}
type Role = User['role'];

const ROLES: readonly { value: Role; label: string; text: string }[] = [
  { value: 'agent', label: 'Agent', text: 'Works tickets and chats in the workspace.' },
  {
    value: 'supervisor',
    label: 'Supervisor',
    text: 'An agent who also sees live view and reports and edits rules.',
  },
  { value: 'admin', label: 'Admin', text: 'Configures everything, including people and security.' },
];
const BASE = '/agent/console/agents';

/** Staff accounts and roles; per agent: groups, skills and capacity per channel. */
export default function AgentsPage({ me, navigate, rest }: PageProps) {
  const users = useLoad<User[]>('/api/users');
  const presence = useLoad<AgentPresence[]>('/api/agents');
  const groups = useLoad<Group[]>('/api/groups');
  const skills = useLoad<Skill[]>('/api/skills');
  const defaults = useLoad<RoutingDefaults>('/api/routing/settings');
  const [creating, setCreating] = useState(false);
  const [roleFilter, setRoleFilter] = useState<'' | Role | 'inactive'>('');

  const reloadAll = () => {
    users.reload();
    presence.reload();
    groups.reload();
  };
  const presenceOf = useMemo(
    () => new Map((presence.data ?? []).map((p) => [p.id, p])),
    [presence.data],
  );
  const groupName = useMemo(
    () => new Map((groups.data ?? []).map((g) => [g.id, g.name])),
    [groups.data],
  );
  const skillName = useMemo(
    () => new Map((skills.data ?? []).map((s) => [s.id, s.name])),
    [skills.data],
  );
  const selected = rest ? users.data?.find((u) => u.id === rest) : undefined;
  const shown = (users.data ?? []).filter((u) =>
    roleFilter === ''
      ? true
      : roleFilter === 'inactive'
        ? !u.active
        : u.active && u.role === roleFilter,
  );

  return (
    <div data-testid="agents-page">
      <PageHeader title="Agents and roles">
        <button
          type="button"
          className="primary"
          data-testid="agent-new"
          aria-expanded={creating}
          onClick={() => setCreating((c) => !c)}
        >
          New staff member
        </button>
      </PageHeader>

      {creating && (
        <CreateUserForm
          onCancel={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            reloadAll();
            navigate(`${BASE}/${user.id}`);
          }}
        />
      )}

      {selected && (
        <AgentDetail
          key={selected.id}
          user={selected}
          me={me}
          presence={presenceOf.get(selected.id)}
          groups={groups.data ?? []}
          skills={skills.data ?? []}
          defaults={defaults.data}
          onChanged={reloadAll}
          onClose={() => navigate(BASE)}
        />
      )}
      {rest && users.data && !users.loading && !selected && (
        <p className="error" role="alert">
          No such staff member.
        </p>
      )}

      <div className="people-toolbar">
        <div className="field">
          <label htmlFor="agents-filter">Show</label>
          <select
            id="agents-filter"
            value={roleFilter}
            data-testid="agents-filter"
            onChange={(e) => setRoleFilter(e.target.value as typeof roleFilter)}
          >
            <option value="">Everyone</option>
            <option value="agent">Active agents</option>
            <option value="supervisor">Active supervisors</option>
            <option value="admin">Active admins</option>
            <option value="inactive">Deactivated</option>
          </select>
        </div>
      </div>

      <LoadState error={users.error ?? presence.error} loading={users.loading && !users.data} />
      {users.data && shown.length === 0 && (
        <EmptyState title="Nobody here" testId="agents-empty">
          {roleFilter ? 'No staff member matches this filter.' : 'Add your first agent.'}
        </EmptyState>
      )}
      {shown.length > 0 && (
        <PeopleTable label="Staff members" testId="agents-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Groups</th>
              <th scope="col">Skills</th>
              <th scope="col">Capacity</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((u) => {
              const p = presenceOf.get(u.id);
              return (
                <tr
                  key={u.id}
                  data-testid="agent-row"
                  data-user-id={u.id}
                  className={[
                    u.active ? '' : 'people-inactive',
                    u.id === selected?.id ? 'people-selected' : '',
                  ]
                    .join(' ')
                    .trim()}
                >
                  <td>
                    <strong>{u.name}</strong>
                    {u.id === me.id && <span className="muted"> (you)</span>}
                    <br />
                    <span className="muted">{u.email}</span>
                  </td>
                  <td>
                    <Chip className={`people-role-${u.role}`}>{roleLabel(u.role)}</Chip>
                  </td>
                  <td>
                    {!u.active ? (
                      <Chip className="people-off">Deactivated</Chip>
                    ) : p ? (
                      <span className="status-label">
                        <span className={`dot dot-${p.status}`} aria-hidden="true" />
                        {statusLabel(p.status)}
                        {p.online || p.status === 'offline' ? '' : ' · not connected'}
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {u.groupIds.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      u.groupIds.map((id) => <Chip key={id}>{groupName.get(id) ?? '…'}</Chip>)
                    )}
                  </td>
                  <td>
                    {!p || p.skillIds.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      p.skillIds.map((id) => <Chip key={id}>{skillName.get(id) ?? '…'}</Chip>)
                    )}
                  </td>
                  <td data-testid="agent-capacity">
                    {p ? (
                      <>
                        Messaging {p.capacity.messaging}
                        {p.capacityOverride.messaging === null ? ' (default)' : ''}
                        <br />
                        Email {p.capacity.email}
                        {p.capacityOverride.email === null ? ' (default)' : ''}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="people-actions">
                    <button
                      type="button"
                      data-testid="agent-edit"
                      aria-label={`Edit ${u.name}`}
                      onClick={() => navigate(`${BASE}/${u.id}`)}
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

function roleLabel(role: Role): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}

function statusLabel(status: AgentPresence['status']): string {
  return { available: 'Available', idle: 'Idle', offline: 'Offline', rona: 'RONA' }[status];
}

function RoleSelect(props: {
  id: string;
  name: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
  value: Role;
  onChange: (role: Role) => void;
}) {
  const { value, onChange, ...rest } = props;
  return (
    <select {...rest} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {ROLES.map((r) => (
        <option key={r.value} value={r.value}>
          {r.label}
        </option>
      ))}
    </select>
  );
}

function CreateUserForm({
  onCreated,
  onCancel,
}: {
  onCreated: (user: User) => void;
  onCancel: () => void;
}) {
  const submit = useSubmit();
  const [form, setForm] = useState({ name: '', email: '', role: 'agent' as Role, password: '' });
  const set = (key: 'name' | 'email' | 'password') => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  return (
    <form
      className="card"
      noValidate
      aria-label="New staff member"
      data-testid="agent-create"
      onSubmit={(e) => {
        e.preventDefault();
        void submit
          .run(() => api<User>('POST', '/api/users', form), 'Created')
          .then((user) => user && onCreated(user));
      }}
    >
      <div className="people-card-head">
        <h3>New staff member</h3>
      </div>
      <div className="people-form-row">
        <Field label="Name" name="name" error={submit.fieldError('name')}>
          {(p) => <input {...p} value={form.name} autoComplete="off" onChange={set('name')} />}
        </Field>
        <Field label="Email" name="email" error={submit.fieldError('email')}>
          {(p) => (
            <input
              {...p}
              type="email"
              value={form.email}
              autoComplete="off"
              onChange={set('email')}
            />
          )}
        </Field>
      </div>
      <div className="people-form-row">
        <Field
          label="Role"
          name="role"
          error={submit.fieldError('role')}
          hint={ROLES.find((r) => r.value === form.role)?.text ?? ''}
        >
          {(p) => (
            <RoleSelect
              {...p}
              value={form.role}
              onChange={(role) => setForm((f) => ({ ...f, role }))}
            />
          )}
        </Field>
        <Field
          label="Password"
          name="password"
          error={submit.fieldError('password')}
          hint="At least 8 characters. Share it safely; they can change it later."
        >
          {(p) => (
            <input
              {...p}
              type="password"
              value={form.password}
              autoComplete="new-password"
              onChange={set('password')}
            />
          )}
        </Field>
      </div>
      <div className="people-form-buttons">
        <button type="submit" className="primary" disabled={submit.busy}>
          Create
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <FormStatus submission={submit} claimed={['name', 'email', 'role', 'password']} />
      </div>
    </form>
  );
}

function AgentDetail({
  user,
  me,
  presence,
  groups,
  skills,
  defaults,
  onChanged,
  onClose,
}: {
  user: User;
  me: User;
  presence: AgentPresence | undefined;
  groups: readonly Group[];
  skills: readonly Skill[];
  defaults: RoutingDefaults | null;
  onChanged: () => void;
  onClose: () => void;
}) {
  return (
    <section
      className="people-detail"
      aria-label={`Edit ${user.name}`}
      data-testid="agent-detail"
      data-user-id={user.id}
    >
      <PageHeader title={user.name}>
        <button type="button" onClick={onClose} data-testid="agent-detail-close">
          Close
        </button>
      </PageHeader>
      <div className="people-detail-grid">
        <ProfileForm user={user} me={me} onChanged={onChanged} />
        <div className="people-stack">
          <GroupsForm user={user} groups={groups} onChanged={onChanged} />
          {presence && (
            <SkillsForm user={user} presence={presence} skills={skills} onChanged={onChanged} />
          )}
        </div>
        {presence ? (
          <CapacityForm presence={presence} defaults={defaults} onChanged={onChanged} />
        ) : (
          <div className="card">
            <p className="muted">
              {user.active
                ? 'Loading skills and capacity…'
                : 'Skills and capacity can be changed once the account is active again.'}
            </p>
          </div>
        )}
      </div>
    </section>
  );
}

function ProfileForm({ user, me, onChanged }: { user: User; me: User; onChanged: () => void }) {
  const save = useSubmit();
  const password = useSubmit();
  const activation = useSubmit();
  const [form, setForm] = useState({ name: user.name, email: user.email, role: user.role });
  const [newPassword, setNewPassword] = useState('');
  const patch = (body: Record<string, unknown>) =>
    api<User>('PATCH', `/api/users/${user.id}`, body);
  const changes = {
    ...(form.name !== user.name ? { name: form.name } : {}),
    ...(form.email !== user.email ? { email: form.email } : {}),
    ...(form.role !== user.role ? { role: form.role } : {}),
  };
  return (
    <div className="card" data-testid="agent-profile">
      <form
        noValidate
        aria-label="Profile and role"
        data-testid="agent-profile-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run(() => patch(changes)).then((done) => done && onChanged());
        }}
      >
        <div className="people-card-head">
          <h3>Profile and role</h3>
          {user.active ? <Chip>Active</Chip> : <Chip className="people-off">Deactivated</Chip>}
        </div>
        <Field label="Name" name="name" error={save.fieldError('name')}>
          {(p) => (
            <input
              {...p}
              value={form.name}
              onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
            />
          )}
        </Field>
        <Field label="Email" name="email" error={save.fieldError('email')}>
          {(p) => (
            <input
              {...p}
              type="email"
              value={form.email}
              onChange={(e) => setForm((f) => ({ ...f, email: e.target.value }))}
            />
          )}
        </Field>
        <Field
          label="Role"
          name="role"
          error={save.fieldError('role')}
          hint={ROLES.find((r) => r.value === form.role)?.text ?? ''}
        >
          {(p) => (
            <RoleSelect
              {...p}
              value={form.role}
              onChange={(role) => setForm((f) => ({ ...f, role }))}
            />
          )}
        </Field>
        <div className="people-form-buttons">
          <button
            type="submit"
            className="primary"
            disabled={save.busy || Object.keys(changes).length === 0}
          >
            Save profile
          </button>
          <FormStatus submission={save} claimed={['name', 'email', 'role']} />
        </div>
      </form>

      <form
        className="people-subform"
        noValidate
        aria-label="Set a new password"
        data-testid="agent-password-form"
        onSubmit={(e) => {
          e.preventDefault();
          void password
            .run(() => patch({ password: newPassword }), 'Password changed')
            .then((done) => done && setNewPassword(''));
        }}
      >
        <Field label="New password" name="password" error={password.fieldError('password')}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
            />
          )}
        </Field>
        <div className="people-form-buttons">
          <button type="submit" disabled={password.busy || newPassword === ''}>
            Set password
          </button>
          <FormStatus submission={password} claimed={['password']} />
        </div>
      </form>

      <div className="people-form-buttons people-subform">
        {user.active ? (
          <ConfirmButton
            label="Deactivate"
            question={
              user.id === me.id
                ? 'Deactivate your own account?'
                : `${user.name} will be logged out and get no offers. Deactivate?`
            }
            confirmLabel="Deactivate"
            testId="agent-deactivate"
            disabled={activation.busy}
            onConfirm={() =>
              activation
                .run(() => patch({ active: false }), 'Deactivated')
                .then((done) => done && onChanged())
            }
          />
        ) : (
          <button
            type="button"
            data-testid="agent-reactivate"
            disabled={activation.busy}
            onClick={() =>
              void activation
                .run(() => patch({ active: true }), 'Reactivated')
                .then((done) => done && onChanged())
            }
          >
            Reactivate
          </button>
        )}
      </div>
      {activation.fieldError('active') && (
        <p className="field-error" role="alert" data-testid="field-error-active">
          {activation.fieldError('active')}
        </p>
      )}
      <FormStatus submission={activation} claimed={['active']} />
    </div>
  );
}

function GroupsForm({
  user,
  groups,
  onChanged,
}: {
  user: User;
  groups: readonly Group[];
  onChanged: () => void;
}) {
  const save = useSubmit();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(user.groupIds));
  return (
    <form
      className="card"
      noValidate
      aria-label="Groups"
      data-testid="agent-groups-form"
      onSubmit={(e) => {
        e.preventDefault();
        // Membership lives on the group: change each group whose list changes.
        const changed = groups.filter((g) => g.memberIds.includes(user.id) !== chosen.has(g.id));
        void save
          .run(async () => {
            for (const g of changed) {
              const memberIds = chosen.has(g.id)
                ? [...g.memberIds, user.id]
                : g.memberIds.filter((id) => id !== user.id);
              await api('PATCH', `/api/groups/${g.id}`, { memberIds });
            }
            return true;
          })
          .then((done) => done && onChanged());
      }}
    >
      <div className="people-card-head">
        <h3>Groups</h3>
      </div>
      {groups.length === 0 ? (
        <p className="muted">No groups yet: create them under Groups and queues.</p>
      ) : (
        <fieldset className="people-checks">
          <legend>Member of</legend>
          {groups.map((g) => (
            <label key={g.id}>
              <input
                type="checkbox"
                checked={chosen.has(g.id)}
                onChange={(e) =>
                  setChosen((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(g.id);
                    else next.delete(g.id);
                    return next;
                  })
                }
              />
              {g.name}
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
        <button type="submit" className="primary" disabled={save.busy || groups.length === 0}>
          Save groups
        </button>
        <FormStatus submission={save} claimed={['memberIds']} />
      </div>
    </form>
  );
}

function SkillsForm({
  user,
  presence,
  skills,
  onChanged,
}: {
  user: User;
  presence: AgentPresence;
  skills: readonly Skill[];
  onChanged: () => void;
}) {
  const save = useSubmit();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(presence.skillIds));
  return (
    <form
      className="card"
      noValidate
      aria-label="Skills"
      data-testid="agent-skills-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save
          .run(() => api('PUT', `/api/agents/${user.id}/skills`, { skillIds: [...chosen] }))
          .then((done) => done && onChanged());
      }}
    >
      <div className="people-card-head">
        <h3>Skills</h3>
      </div>
      {skills.length === 0 ? (
        <p className="muted">No skills yet: create them under Skills.</p>
      ) : (
        <fieldset className="people-checks">
          <legend>Has these skills</legend>
          {skills.map((s) => (
            <label key={s.id}>
              <input
                type="checkbox"
                checked={chosen.has(s.id)}
                onChange={(e) =>
                  setChosen((c) => {
                    const next = new Set(c);
                    if (e.target.checked) next.add(s.id);
                    else next.delete(s.id);
                    return next;
                  })
                }
              />
              {s.name}
            </label>
          ))}
        </fieldset>
      )}
      {save.fieldError('skillIds') && (
        <p className="field-error" role="alert" data-testid="field-error-skillIds">
          {save.fieldError('skillIds')}
        </p>
      )}
      <div className="people-form-buttons">
        <button type="submit" className="primary" disabled={save.busy || skills.length === 0}>
          Save skills
        </button>
        <FormStatus submission={save} claimed={['skillIds']} />
      </div>
    </form>
  );
}

type Channel = 'messaging' | 'email';

function CapacityForm({
  presence,
  defaults,
  onChanged,
}: {
  presence: AgentPresence;
  defaults: RoutingDefaults | null;
  onChanged: () => void;
}) {
  const save = useSubmit();
  const initial = (c: Channel) => {
    const own = presence.capacityOverride[c];
    return { own: own !== null, value: String(own ?? presence.capacity[c]) };
  };
  const [form, setForm] = useState({ messaging: initial('messaging'), email: initial('email') });
  const defaultOf = (c: Channel) =>
    defaults ? (c === 'messaging' ? defaults.messagingCapacity : defaults.emailCapacity) : null;
  return (
    <form
      className="card"
      noValidate
      aria-label="Capacity"
      data-testid="agent-capacity-form"
      onSubmit={(e) => {
        e.preventDefault();
        const body = {
          messaging: form.messaging.own ? numberOrText(form.messaging.value) : null,
          email: form.email.own ? numberOrText(form.email.value) : null,
        };
        void save
          .run(() => api('PUT', `/api/agents/${presence.id}/capacity`, body))
          .then((done) => done && onChanged());
      }}
    >
      <div className="people-card-head">
        <h3>Capacity</h3>
        <span className="muted">
          Load now: {presence.load.messaging} chats, {presence.load.email} emails
        </span>
      </div>
      {(['messaging', 'email'] as const).map((c) => {
        const label = c === 'messaging' ? 'Messaging capacity' : 'Email capacity';
        const own = form[c].own;
        return (
          <div key={c}>
            <div className="people-check people-check-plain">
              <input
                type="checkbox"
                id={`capacity-own-${c}`}
                checked={own}
                data-testid={`capacity-own-${c}`}
                onChange={(e) =>
                  setForm((f) => ({ ...f, [c]: { ...f[c], own: e.target.checked } }))
                }
              />
              <label htmlFor={`capacity-own-${c}`}>
                Own value instead of the default ({defaultOf(c) ?? '…'})
              </label>
            </div>
            <Field
              label={label}
              name={c}
              error={save.fieldError(c)}
              hint={
                c === 'messaging'
                  ? 'Live chats at once (0: no chats).'
                  : 'New and Open email tickets at once.'
              }
            >
              {(p) => (
                <input
                  {...p}
                  type="number"
                  inputMode="numeric"
                  disabled={!own}
                  value={own ? form[c].value : String(defaultOf(c) ?? '')}
                  data-testid={`capacity-${c}`}
                  onChange={(e) =>
                    setForm((f) => ({ ...f, [c]: { ...f[c], value: e.target.value } }))
                  }
                />
              )}
            </Field>
          </div>
        );
      })}
      <div className="people-form-buttons">
        <button type="submit" className="primary" disabled={save.busy}>
          Save capacity
        </button>
        <FormStatus submission={save} claimed={['messaging', 'email']} />
      </div>
    </form>
  );
}
