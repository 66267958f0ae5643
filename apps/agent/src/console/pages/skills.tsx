import { useState } from 'react';
import type { AgentPresence } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { ConfirmButton, EmptyState, PeopleTable } from './people-kit.js';

interface Skill {
  readonly id: string;
  readonly name: string;
}

/** Skills: what tickets may require and agents have. Create, rename, delete (when unused). */
export default function SkillsPage({ navigate }: PageProps) {
  const skills = useLoad<Skill[]>('/api/skills');
  const agents = useLoad<AgentPresence[]>('/api/agents');
  const create = useSubmit();
  const [name, setName] = useState('');

  const holders = (skillId: string) =>
    (agents.data ?? []).filter((a) => a.skillIds.includes(skillId));

  return (
    <div data-testid="skills-page">
      <PageHeader title="Skills" />
      <p className="people-intro">
        A ticket that requires skills is offered only to agents who have every one of them (a group
        may relax that after a while). Give agents skills on the{' '}
        <a
          href="/agent/console/agents"
          onClick={(e) => {
            e.preventDefault();
            navigate('/agent/console/agents');
          }}
        >
          Agents and roles
        </a>{' '}
        page.
      </p>

      <form
        className="card people-inline"
        noValidate
        aria-label="New skill"
        data-testid="skill-create"
        onSubmit={(e) => {
          e.preventDefault();
          void create
            .run(() => api<Skill>('POST', '/api/skills', { name }), 'Skill created')
            .then((made) => {
              if (!made) return;
              setName('');
              skills.reload();
            });
        }}
      >
        <div>
          <Field label="New skill" name="name" error={create.fieldError('name')}>
            {(p) => (
              <input
                {...p}
                value={name}
                placeholder="e.g. German, Billing, VIP"
                data-testid="skill-name"
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="people-form-buttons">
          <button type="submit" className="primary" disabled={create.busy}>
            Add skill
          </button>
          <FormStatus submission={create} claimed={['name']} />
        </div>
      </form>

      <LoadState error={skills.error} loading={skills.loading && !skills.data} />
      {skills.data && skills.data.length === 0 && (
        <EmptyState title="No skills yet" testId="skills-empty">
          Add the languages, products or permissions your tickets may need.
        </EmptyState>
      )}
      {skills.data && skills.data.length > 0 && (
        <PeopleTable label="Skills" testId="skills-table">
          <thead>
            <tr>
              <th scope="col">Skill</th>
              <th scope="col">Agents who have it</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {skills.data.map((skill) => (
              <SkillRow
                key={skill.id}
                skill={skill}
                holders={holders(skill.id).map((a) => a.name)}
                onChanged={() => {
                  skills.reload();
                  agents.reload();
                }}
              />
            ))}
          </tbody>
        </PeopleTable>
      )}
    </div>
  );
}

function SkillRow({
  skill,
  holders,
  onChanged,
}: {
  skill: Skill;
  holders: readonly string[];
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(skill.name);
  const rename = useSubmit();
  const remove = useSubmit();
  return (
    <tr data-testid="skill-row" data-skill-id={skill.id}>
      <td>
        {editing ? (
          <form
            noValidate
            aria-label={`Rename ${skill.name}`}
            onSubmit={(e) => {
              e.preventDefault();
              void rename
                .run(() => api<Skill>('PATCH', `/api/skills/${skill.id}`, { name }), 'Renamed')
                .then((done) => {
                  if (!done) return;
                  setEditing(false);
                  onChanged();
                });
            }}
          >
            <Field label="Name" name="name" error={rename.fieldError('name')}>
              {(p) => (
                <input
                  {...p}
                  value={name}
                  data-testid="skill-rename-input"
                  onChange={(e) => setName(e.target.value)}
                />
              )}
            </Field>
            <div className="people-form-buttons">
              <button type="submit" className="primary" disabled={rename.busy}>
                Save
              </button>
              <button
                type="button"
                onClick={() => {
                  setEditing(false);
                  setName(skill.name);
                  rename.clear();
                }}
              >
                Cancel
              </button>
              <FormStatus submission={rename} claimed={['name']} />
            </div>
          </form>
        ) : (
          <strong>{skill.name}</strong>
        )}
      </td>
      <td>{holders.length === 0 ? <span className="muted">nobody</span> : holders.join(', ')}</td>
      <td className="people-actions">
        {!editing && (
          <button
            type="button"
            onClick={() => setEditing(true)}
            aria-label={`Rename ${skill.name}`}
          >
            Rename
          </button>
        )}
        <ConfirmButton
          label="Delete"
          accessibleName={`Delete ${skill.name}`}
          question={
            holders.length > 0 ? `${holders.length} agent(s) will lose it. Delete?` : 'Delete?'
          }
          confirmLabel="Delete skill"
          testId="skill-delete"
          disabled={remove.busy}
          onConfirm={() =>
            remove
              .run(() => api('DELETE', `/api/skills/${skill.id}`), 'Deleted')
              .then((done) => done && onChanged())
          }
        />
        {remove.error && (
          <p className="people-field-error" role="alert" data-testid="field-error-skillId">
            {remove.error.message}
          </p>
        )}
      </td>
    </tr>
  );
}
