import { useEffect, useState } from 'react';
import type { Settings } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { formatSeconds, numberOrText } from './people-kit.js';

interface RoutingSettings {
  readonly messagingCapacity: number;
  readonly emailCapacity: number;
  readonly presenceGraceS: number;
}

/** Whether agents may end messaging sessions, and routing's global defaults. */
export default function SessionSettingsPage(_props: PageProps) {
  return (
    <div data-testid="session-settings-page">
      <PageHeader title="Sessions and routing" />
      <div className="people-grid">
        <SessionForm />
        <RoutingDefaultsForm />
      </div>
    </div>
  );
}

function SessionForm() {
  const settings = useLoad<Settings>('/api/settings');
  const save = useSubmit();
  const [mayEnd, setMayEnd] = useState(false);
  useEffect(() => {
    if (settings.data) setMayEnd(settings.data.agentsMayEndSessions);
  }, [settings.data]);
  return (
    <form
      className="card"
      noValidate
      aria-label="Messaging sessions"
      data-testid="session-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save
          .run(() => api<Settings>('PATCH', '/api/settings', { agentsMayEndSessions: mayEnd }))
          .then((done) => done && settings.reload());
      }}
    >
      <div className="people-card-head">
        <h3>Messaging sessions</h3>
      </div>
      <LoadState error={settings.error} loading={settings.loading && !settings.data} />
      <div className="people-check">
        <input
          type="checkbox"
          id="agents-may-end-sessions"
          name="agentsMayEndSessions"
          checked={mayEnd}
          data-testid="agents-may-end-sessions"
          onChange={(e) => setMayEnd(e.target.checked)}
        />
        <label htmlFor="agents-may-end-sessions">Agents may end messaging sessions</label>
      </div>
      <p className="field-hint">
        When an agent ends a session, the conversation continues by email: the agent’s messaging
        capacity is freed, the ticket keeps its status, and the customer’s next message in the
        widget starts a new conversation with the bot.
      </p>
      {save.fieldError('agentsMayEndSessions') && (
        <p className="field-error" role="alert" data-testid="field-error-agentsMayEndSessions">
          {save.fieldError('agentsMayEndSessions')}
        </p>
      )}
      <div className="people-form-buttons">
        <button type="submit" className="primary" disabled={save.busy || !settings.data}>
          Save
        </button>
        <FormStatus submission={save} claimed={['agentsMayEndSessions']} />
      </div>
    </form>
  );
}

function RoutingDefaultsForm() {
  const settings = useLoad<RoutingSettings>('/api/routing/settings');
  const save = useSubmit();
  const [form, setForm] = useState({
    messagingCapacity: '',
    emailCapacity: '',
    presenceGraceS: '',
  });
  useEffect(() => {
    if (settings.data)
      setForm({
        messagingCapacity: String(settings.data.messagingCapacity),
        emailCapacity: String(settings.data.emailCapacity),
        presenceGraceS: String(settings.data.presenceGraceS),
      });
  }, [settings.data]);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const grace = Number(form.presenceGraceS);
  return (
    <form
      className="card"
      noValidate
      aria-label="Routing defaults"
      data-testid="routing-defaults-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save
          .run(() =>
            api<RoutingSettings>('PATCH', '/api/routing/settings', {
              messagingCapacity: numberOrText(form.messagingCapacity),
              emailCapacity: numberOrText(form.emailCapacity),
              presenceGraceS: numberOrText(form.presenceGraceS),
            }),
          )
          .then((done) => done && settings.reload());
      }}
    >
      <div className="people-card-head">
        <h3>Routing defaults</h3>
      </div>
      <LoadState error={settings.error} loading={settings.loading && !settings.data} />
      <Field
        label="Default messaging capacity"
        name="messagingCapacity"
        error={save.fieldError('messagingCapacity')}
        hint="Live chats an agent handles at once, unless the agent has their own capacity."
      >
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="numeric"
            value={form.messagingCapacity}
            data-testid="default-messaging-capacity"
            onChange={set('messagingCapacity')}
          />
        )}
      </Field>
      <Field
        label="Default email capacity"
        name="emailCapacity"
        error={save.fieldError('emailCapacity')}
        hint="New and Open email tickets an agent holds at once."
      >
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="numeric"
            value={form.emailCapacity}
            data-testid="default-email-capacity"
            onChange={set('emailCapacity')}
          />
        )}
      </Field>
      <Field
        label="Presence grace period (seconds)"
        name="presenceGraceS"
        error={save.fieldError('presenceGraceS')}
        hint={`After an agent’s last window closes, Parlour waits ${
          Number.isInteger(grace) && grace >= 0 ? formatSeconds(grace) : '…'
        } before setting them Offline (a reload or short network loss keeps their chats).`}
      >
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="numeric"
            value={form.presenceGraceS}
            data-testid="presence-grace"
            onChange={set('presenceGraceS')}
          />
        )}
      </Field>
      <div className="people-form-buttons">
        <button type="submit" className="primary" disabled={save.busy || !settings.data}>
          Save
        </button>
        <FormStatus
          submission={save}
          claimed={['messagingCapacity', 'emailCapacity', 'presenceGraceS']}
        />
      </div>
    </form>
  );
}
