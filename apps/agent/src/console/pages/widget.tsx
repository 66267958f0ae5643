import { useState, type FormEvent } from 'react';
import type { Settings } from '@parlour/protocol';
import { Field, FormStatus, LoadState, PageHeader, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { ConfirmButton } from './content-kit.js';
import { useSettingsDraft } from './content-settings.js';
import { api } from '../../api.js';
import './content.css';

interface Draft {
  widgetColor: string;
  widgetGreeting: string;
  /** One origin a line. */
  allowedOrigins: string;
  requireVerifiedIdentity: boolean;
}

function toDraft(s: Settings): Draft {
  return {
    widgetColor: s.widgetColor,
    widgetGreeting: s.widgetGreeting,
    allowedOrigins: s.allowedOrigins.join('\n'),
    requireVerifiedIdentity: s.requireVerifiedIdentity,
  };
}

const FIELDS = ['widgetColor', 'widgetGreeting', 'allowedOrigins', 'requireVerifiedIdentity'];

/** The company's identity JWT secret: write-only (the API never shows it back). */
function JwtSecret({ isSet, onSaved }: { isSet: boolean; onSaved: (s: Settings) => void }) {
  const [secret, setSecret] = useState('');
  const form = useSubmit();
  const save = async (value: string | null) => {
    const next = await form.run(
      () => api<Settings>('PATCH', '/api/settings', { endUserJwtSecret: value }),
      value === null ? 'Secret removed' : 'Secret saved',
    );
    if (next) {
      setSecret('');
      onSaved(next);
    }
  };
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void save(secret);
      }}
      aria-label="Identity verification secret"
      data-testid="jwt-form"
    >
      <h3>Identity verification</h3>
      <p className="muted">
        Your backend signs the signed-in customer as an HS256 JWT (<code>sub</code>, optional{' '}
        <code>name</code> and <code>email</code>) with this shared secret and hands it to the widget
        (<code>data-jwt</code> on the script tag, or <code>Parlour.identify(jwt)</code>).
      </p>
      <p data-testid="jwt-state">
        {isSet ? (
          <strong>A secret is set.</strong>
        ) : (
          <strong>No secret is set: identities cannot be verified.</strong>
        )}{' '}
        It is never shown again once saved.
      </p>
      <Field
        label={isSet ? 'Replace the secret' : 'Secret'}
        name="endUserJwtSecret"
        error={form.fieldError('endUserJwtSecret')}
        hint="32 to 512 characters"
      >
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            data-testid="jwt-secret"
          />
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.busy} data-testid="jwt-save">
          Save secret
        </button>
        {isSet && (
          <ConfirmButton
            label="Remove secret"
            question="Remove it? Verified identities stop working until a new one is set."
            onConfirm={() => void save(null)}
            testid="jwt-remove"
          />
        )}
        <FormStatus submission={form} claimed={['endUserJwtSecret']} />
      </div>
    </form>
  );
}

/** The chat widget: its look, where it may be embedded, and identity verification. */
export default function WidgetPage(_props: PageProps) {
  const { settings, draft, setDraft, loadError, loading, submission, save } =
    useSettingsDraft(toDraft);
  const [jwtSet, setJwtSet] = useState<boolean | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    await save({
      widgetColor: draft.widgetColor,
      widgetGreeting: draft.widgetGreeting,
      allowedOrigins: draft.allowedOrigins
        .split('\n')
        .map((o) => o.trim())
        .filter(Boolean),
      requireVerifiedIdentity: draft.requireVerifiedIdentity,
    });
  };

  const origin = window.location.origin;
  return (
    <div className="content-page" data-testid="widget-page">
      <PageHeader title="Widget" />
      <LoadState error={loadError} loading={loading && !draft} />
      {draft && settings && (
        <>
          <div className="widget-layout">
            <form
              className="card"
              onSubmit={(e) => void submit(e)}
              aria-label="Widget"
              data-testid="widget-form"
            >
              <Field
                label="Colour"
                name="widgetColor"
                error={submission.fieldError('widgetColor')}
                hint="The header, buttons and launcher; white text must stay readable on it"
              >
                {(p) => (
                  <span className="color-pick">
                    <input
                      {...p}
                      type="text"
                      value={draft.widgetColor}
                      onChange={(e) => setDraft({ ...draft, widgetColor: e.target.value })}
                      data-testid="widget-color"
                    />
                    <input
                      type="color"
                      aria-label="Pick the colour"
                      value={
                        /^#[0-9a-fA-F]{6}$/.test(draft.widgetColor) ? draft.widgetColor : '#000000'
                      }
                      onChange={(e) => setDraft({ ...draft, widgetColor: e.target.value })}
                    />
                  </span>
                )}
              </Field>
              <Field
                label="Greeting"
                name="widgetGreeting"
                error={submission.fieldError('widgetGreeting')}
                hint="Shown above an empty chat; leave empty for none"
              >
                {(p) => (
                  <textarea
                    {...p}
                    value={draft.widgetGreeting}
                    onChange={(e) => setDraft({ ...draft, widgetGreeting: e.target.value })}
                    data-testid="widget-greeting"
                  />
                )}
              </Field>
              <Field
                label="Allowed origins"
                name="allowedOrigins"
                error={submission.fieldError('allowedOrigins')}
                hint="Sites that may embed the widget, one a line, e.g. https://shop.example.com"
              >
                {(p) => (
                  <textarea
                    {...p}
                    value={draft.allowedOrigins}
                    onChange={(e) => setDraft({ ...draft, allowedOrigins: e.target.value })}
                    data-testid="widget-origins"
                  />
                )}
              </Field>
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.requireVerifiedIdentity}
                  onChange={(e) =>
                    setDraft({ ...draft, requireVerifiedIdentity: e.target.checked })
                  }
                  data-testid="widget-require-verified"
                />
                Only verified customers may chat (a JWT from your backend is required)
              </label>
              {submission.fieldError('requireVerifiedIdentity') && (
                <p className="field-error" role="alert">
                  {submission.fieldError('requireVerifiedIdentity')}
                </p>
              )}
              <div className="form-actions">
                <button
                  type="submit"
                  className="primary"
                  disabled={submission.busy}
                  data-testid="widget-save"
                >
                  Save
                </button>
                <FormStatus submission={submission} claimed={FIELDS} />
              </div>
            </form>
            <div>
              <h3>Preview</h3>
              <div className="widget-preview" data-testid="widget-preview" aria-hidden="true">
                <header ref={(el) => el?.style.setProperty('background', draft.widgetColor)}>
                  Chat with us
                </header>
                {draft.widgetGreeting && <p>{draft.widgetGreeting}</p>}
                <p className="muted">Type your message…</p>
              </div>
            </div>
          </div>
          <JwtSecret
            isSet={jwtSet ?? settings.endUserJwtSecretSet}
            onSaved={(s) => setJwtSet(s.endUserJwtSecretSet)}
          />
          <div className="card">
            <h3>Embed</h3>
            <p>Add this to every page of an allowed site:</p>
            <code className="snippet" data-testid="widget-snippet">
              {`<script src="${origin}/widget.js" async></script>`}
            </code>
          </div>
        </>
      )}
    </div>
  );
}
