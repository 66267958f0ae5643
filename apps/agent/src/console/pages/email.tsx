import { type FormEvent } from 'react';
import type { DeadEmail, Settings } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { EmptyRow, formatTime, useGroups } from './content-kit.js';
import { useSettingsDraft } from './content-settings.js';
import './content.css';

const toDraft = (s: Settings) => ({ emailGroupId: s.emailGroupId ?? '' });

/** The email channel: where new email tickets go, and outgoing emails that could not be sent. */
export default function EmailPage(_props: PageProps) {
  const { groups } = useGroups();
  const { draft, setDraft, loadError, loading, submission, save } = useSettingsDraft(toDraft);
  const dead = useLoad<DeadEmail[]>('/api/email/dead');
  const retry = useSubmit();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    await save({ emailGroupId: draft.emailGroupId === '' ? null : draft.emailGroupId });
  };
  const retryOne = async (email: DeadEmail) => {
    const ok = await retry.run(
      () => api('POST', `/api/email/dead/${email.id}/retry`),
      `Queued "${email.subject}" again`,
    );
    if (ok !== null) dead.reload();
  };

  return (
    <div className="content-page" data-testid="email-page">
      <PageHeader title="Email" />
      <section>
        <h3>Incoming email</h3>
        <LoadState error={loadError} loading={loading && !draft} />
        {draft && (
          <form
            className="card"
            onSubmit={(e) => void submit(e)}
            aria-label="Incoming email"
            data-testid="email-form"
          >
            <Field
              label="Group for new email tickets"
              name="emailGroupId"
              error={submission.fieldError('emailGroupId')}
              hint="None chosen: the first group by name"
            >
              {(p) => (
                <select
                  {...p}
                  value={draft.emailGroupId}
                  onChange={(e) => setDraft({ emailGroupId: e.target.value })}
                  data-testid="email-group"
                >
                  <option value="">The first group by name</option>
                  {groups.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <div className="form-actions">
              <button
                type="submit"
                className="primary"
                disabled={submission.busy}
                data-testid="email-save"
              >
                Save
              </button>
              <FormStatus submission={submission} claimed={['emailGroupId']} />
            </div>
          </form>
        )}
        <div className="card" data-testid="email-config-note">
          <p>
            <strong>Mail servers are set in the server&apos;s environment</strong>, not here.
          </p>
          <ul>
            <li>
              Outgoing: <code>SMTP_HOST</code>, <code>SMTP_PORT</code>, <code>SMTP_SECURE</code>,{' '}
              <code>SMTP_STARTTLS</code>, <code>SMTP_USER</code>, <code>SMTP_PASSWORD</code>; the
              sender is <code>EMAIL_FROM</code>, replies come back to{' '}
              <code>EMAIL_REPLY_DOMAIN</code>. Without <code>SMTP_HOST</code> emails wait in the
              outbox.
            </li>
            <li>
              Incoming: the built-in SMTP listener (<code>SMTP_LISTEN_PORT</code>), or your relay
              posts raw MIME to <code>POST {window.location.origin}/api/email/inbound</code> with
              the <code>X-Parlour-Email-Secret</code> header (<code>EMAIL_INBOUND_SECRET</code>).
            </li>
          </ul>
        </div>
      </section>

      <section>
        <div className="page-header">
          <h3>Emails that could not be sent</h3>
          <button type="button" onClick={dead.reload} data-testid="dead-refresh">
            Refresh
          </button>
        </div>
        <p className="muted">
          The sender gave up on these after every retry (or the mail server refused them for good).
          Retry queues one again with a fresh round of tries.
        </p>
        <LoadState error={dead.error} loading={dead.loading && !dead.data} />
        <FormStatus submission={retry} />
        <table data-testid="dead-emails">
          <thead>
            <tr>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Kind</th>
              <th scope="col">Tries</th>
              <th scope="col">Last error</th>
              <th scope="col">Queued</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {dead.data?.length === 0 && (
              <EmptyRow colSpan={7}>No dead emails: everything was sent.</EmptyRow>
            )}
            {dead.data?.map((e) => (
              <tr key={e.id} data-testid="dead-email-row">
                <td>{e.to}</td>
                <td>{e.subject}</td>
                <td>{e.kind}</td>
                <td>{e.attempts}</td>
                <td className="clip">{e.lastError ?? '—'}</td>
                <td>{formatTime(e.createdAt)}</td>
                <td>
                  <button
                    type="button"
                    disabled={retry.busy}
                    onClick={() => void retryOne(e)}
                    data-testid="dead-email-retry"
                  >
                    Retry
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
