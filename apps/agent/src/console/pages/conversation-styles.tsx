import { useEffect, useState } from 'react';
import type { ApplyStyleBody, ConversationStyle } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { CONSOLE_BASE, fieldErrors } from './rules-model.js';
import './rules.css';

type StyleName = ApplyStyleBody['style'];

const STYLES: readonly {
  id: StyleName;
  name: string;
  text: string;
  defaultHours: number | null;
}[] = [
  {
    id: 'live_chat',
    name: 'Live chat',
    text: 'A trigger closes a messaging ticket as soon as it is solved. A customer who comes back starts a new ticket.',
    defaultHours: null,
  },
  {
    id: 'live_chat_returning',
    name: 'Live chat with returning customer',
    text: 'An automation closes a solved messaging ticket after a delay. A reply before then reopens it with the same agent.',
    defaultHours: 1,
  },
  {
    id: 'social_messaging',
    name: 'Social messaging',
    text: 'Solved tickets close after 4 days (or the delay you set), and after 28 days at the latest. The customer can pick up the conversation until then.',
    defaultHours: 96,
  },
];

const CHANGE_LABELS: Readonly<Record<string, string>> = {
  created: 'Created',
  updated: 'Updated',
  deactivated: 'Deactivated',
  unchanged: 'Unchanged',
};

/** Conversation styles (seed 001): apply a preset and see the rules it installs. */
export default function ConversationStylesPage({ navigate, me }: PageProps) {
  const current = useLoad<ConversationStyle>('/api/conversation-style');
  const submission = useSubmit();
  const errors = fieldErrors(submission.error);
  const [shown, setShown] = useState<ConversationStyle | null>(null);
  const [style, setStyle] = useState<StyleName>('live_chat');
  const [hours, setHours] = useState('');
  useEffect(() => {
    const c = current.data;
    if (!c) return;
    setShown(c);
    if (c.style) setStyle(c.style);
    setHours(c.closeAfterHours === null ? '' : String(c.closeAfterHours));
  }, [current.data]);
  const chosen = STYLES.find((s) => s.id === style)!;
  const canEdit = me.role === 'admin';

  const apply = async () => {
    const body: ApplyStyleBody =
      chosen.defaultHours === null || hours.trim() === ''
        ? { style }
        : { style, closeAfterHours: Number(hours) };
    const result = await submission.run(
      () => api<ConversationStyle>('PUT', '/api/conversation-style', body),
      `Applied "${chosen.name}"`,
    );
    if (result) setShown(result);
  };

  return (
    <div className="rules-page">
      <PageHeader title="Conversation styles" />
      <p className="rules-intro">
        A conversation style decides when a solved chat closes. Applying one creates or updates its
        rules and switches off the rules of the other styles.
      </p>
      <LoadState error={current.error} loading={current.loading && !current.data} />
      <form
        data-testid="style-form"
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <fieldset className="style-options" disabled={!canEdit}>
          <legend className="visually-hidden">Conversation style</legend>
          {STYLES.map((s) => (
            <label key={s.id} className="style-option" data-testid={`style-${s.id}`}>
              <input
                type="radio"
                name="style"
                value={s.id}
                checked={style === s.id}
                onChange={() => {
                  setStyle(s.id);
                  setHours(
                    s.id === shown?.style && shown.closeAfterHours !== null
                      ? String(shown.closeAfterHours)
                      : s.defaultHours === null
                        ? ''
                        : String(s.defaultHours),
                  );
                  submission.clear();
                }}
              />
              <span>
                <strong>
                  {s.name}
                  {shown?.style === s.id && <span className="rule-badge">applied</span>}
                </strong>
                <p>{s.text}</p>
              </span>
            </label>
          ))}
        </fieldset>
        {chosen.defaultHours !== null && (
          <Field
            label="Close a solved ticket after (hours)"
            name="closeAfterHours"
            error={errors.at('closeAfterHours')}
            hint={`Default ${chosen.defaultHours === 1 ? '1 hour' : `${chosen.defaultHours} hours`}; at most 672 (28 days)`}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                min={0}
                step="any"
                value={hours}
                disabled={!canEdit}
                data-testid="style-hours"
                onChange={(e) => setHours(e.target.value)}
              />
            )}
          </Field>
        )}
        <FormStatus submission={submission} claimed={['closeAfterHours']} />
        {canEdit && (
          <div className="rule-buttons">
            <button
              type="submit"
              className="primary"
              disabled={submission.busy}
              data-testid="style-apply"
            >
              Apply style
            </button>
          </div>
        )}
      </form>
      {shown && (
        <section className="card" data-testid="style-current">
          <div className="rule-card-head">
            <h3>
              {shown.style
                ? `Applied: ${STYLES.find((s) => s.id === shown.style)?.name ?? shown.style}`
                : 'No style applied yet'}
              {shown.closeAfterHours !== null &&
                ` · closes ${shown.closeAfterHours} h after solved`}
            </h3>
            {shown.appliedAt && (
              <p className="field-hint">Applied {new Date(shown.appliedAt).toLocaleString()}</p>
            )}
          </div>
          {shown.rules.length > 0 && (
            <table data-testid="style-rules">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Active</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {shown.rules.map((r) => {
                  const href = `${CONSOLE_BASE}/${r.kind === 'trigger' ? 'triggers' : 'automations'}/${r.id}`;
                  return (
                    <tr key={r.id} data-testid="style-rule" data-change={r.change}>
                      <td>
                        <a
                          href={href}
                          onClick={(e) => {
                            e.preventDefault();
                            navigate(href);
                          }}
                        >
                          {r.name}
                        </a>
                      </td>
                      <td>{r.kind === 'trigger' ? 'Trigger' : 'Automation'}</td>
                      <td>{r.active ? 'Yes' : 'No'}</td>
                      <td>{CHANGE_LABELS[r.change] ?? r.change}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
