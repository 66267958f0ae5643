import { useState, type FormEvent } from 'react';
import type { ApiInbox, ApiTemplate, Group } from '@parlour/protocol';
import { Field, FormStatus, type Submission } from '../form-kit.js';

/** An API inbox as edited: numbers and ids as text ('' for none). */
export interface InboxDraft {
  name: string;
  webhookUrl: string;
  defaultGroupId: string;
  replyWindowHours: string;
  templates: ApiTemplate[];
}

export const EMPTY_INBOX: InboxDraft = {
  name: '',
  webhookUrl: '',
  defaultGroupId: '',
  replyWindowHours: '',
  templates: [],
};

export function inboxDraftOf(inbox: ApiInbox): InboxDraft {
  return {
    name: inbox.name,
    webhookUrl: inbox.webhookUrl,
    defaultGroupId: inbox.defaultGroupId ?? '',
    replyWindowHours: inbox.replyWindowHours === null ? '' : String(inbox.replyWindowHours),
    templates: inbox.templates.map((t) => ({ ...t })),
  };
}

/** The body the API takes (it validates everything and names the field at fault). */
export function inboxBodyOf(d: InboxDraft) {
  return {
    name: d.name,
    webhookUrl: d.webhookUrl.trim(),
    defaultGroupId: d.defaultGroupId === '' ? null : d.defaultGroupId,
    replyWindowHours: d.replyWindowHours.trim() === '' ? null : Number(d.replyWindowHours),
    templates: d.templates,
  };
}

const CLAIMED = ['name', 'webhookUrl', 'defaultGroupId', 'replyWindowHours', 'templates'];

/** Create or edit an inbox: name, webhook, default group, reply window and templates. */
export function InboxForm({
  initial,
  groups,
  submission,
  title,
  onSave,
  onCancel,
}: {
  initial: InboxDraft;
  groups: readonly Group[];
  submission: Submission;
  title: string;
  onSave: (draft: InboxDraft) => void;
  onCancel?: () => void;
}) {
  const [d, setD] = useState<InboxDraft>(initial);
  const err = submission.fieldError;
  const setTemplate = (i: number, t: ApiTemplate) =>
    setD({ ...d, templates: d.templates.map((x, j) => (j === i ? t : x)) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(d);
  };
  return (
    <form className="card" onSubmit={submit} aria-label={title} data-testid="inbox-form">
      <h3>{title}</h3>
      <Field label="Name" name="name" error={err('name')}>
        {(p) => (
          <input
            {...p}
            type="text"
            value={d.name}
            onChange={(e) => setD({ ...d, name: e.target.value })}
            data-testid="inbox-name"
          />
        )}
      </Field>
      <Field
        label="Webhook URL"
        name="webhookUrl"
        error={err('webhookUrl')}
        hint="Where Parlour delivers agent replies (http or https)"
      >
        {(p) => (
          <input
            {...p}
            type="text"
            inputMode="url"
            value={d.webhookUrl}
            onChange={(e) => setD({ ...d, webhookUrl: e.target.value })}
            data-testid="inbox-webhook-url"
          />
        )}
      </Field>
      <Field label="Default group" name="defaultGroupId" error={err('defaultGroupId')}>
        {(p) => (
          <select
            {...p}
            value={d.defaultGroupId}
            onChange={(e) => setD({ ...d, defaultGroupId: e.target.value })}
            data-testid="inbox-group"
          >
            <option value="">None (the usual routing)</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Reply window (hours)"
        name="replyWindowHours"
        error={err('replyWindowHours')}
        hint="Free text only this long after the customer's last message (e.g. 24); empty: always"
      >
        {(p) => (
          <input
            {...p}
            type="number"
            value={d.replyWindowHours}
            onChange={(e) => setD({ ...d, replyWindowHours: e.target.value })}
            data-testid="inbox-reply-window"
          />
        )}
      </Field>
      <fieldset data-testid="inbox-templates">
        <legend>Templates (sent outside the reply window)</legend>
        {d.templates.length === 0 && <p className="muted">No templates.</p>}
        {err('templates') && d.templates.length === 0 && (
          <p className="field-error" role="alert">
            {err('templates')}
          </p>
        )}
        {d.templates.map((t, i) => (
          <div className="inline-form" key={i} data-testid="inbox-template">
            <Field
              label={`Template ${i + 1} name`}
              name={`templates.${i}.name`}
              error={err(`templates.${i}.name`) ?? err(`templates.${i}`)}
            >
              {(p) => (
                <input
                  {...p}
                  type="text"
                  value={t.name}
                  placeholder="order_shipped"
                  onChange={(e) => setTemplate(i, { ...t, name: e.target.value })}
                  data-testid="inbox-template-name"
                />
              )}
            </Field>
            <Field label="Text" name={`templates.${i}.body`} error={err(`templates.${i}.body`)}>
              {(p) => (
                <input
                  {...p}
                  type="text"
                  value={t.body}
                  placeholder="Your order {{order}} has shipped."
                  onChange={(e) => setTemplate(i, { ...t, body: e.target.value })}
                  data-testid="inbox-template-body"
                />
              )}
            </Field>
            <button
              type="button"
              aria-label={`Remove template ${i + 1}`}
              onClick={() => setD({ ...d, templates: d.templates.filter((_, j) => j !== i) })}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => setD({ ...d, templates: [...d.templates, { name: '', body: '' }] })}
          data-testid="inbox-template-add"
        >
          Add template
        </button>
      </fieldset>
      <div className="form-actions">
        <button
          type="submit"
          className="primary"
          disabled={submission.busy}
          data-testid="inbox-save"
        >
          Save
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <FormStatus submission={submission} claimed={CLAIMED} />
    </form>
  );
}
