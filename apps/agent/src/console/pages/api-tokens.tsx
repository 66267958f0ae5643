import { useState, type FormEvent } from 'react';
import type { CreatedApiToken, WebhookDelivery, WebhookDeliveryStatus } from '@parlour/protocol';
import { api, query } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import {
  ConfirmButton,
  EmptyRow,
  SecretOnce,
  StatusBadge,
  formatTime,
  useUsers,
} from './content-kit.js';
import './content.css';

type TokenInfo = Omit<CreatedApiToken, 'token'>;

function TokensSection() {
  const list = useLoad<TokenInfo[]>('/api/api-tokens');
  const users = useUsers();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const create = useSubmit();
  const revoke = useSubmit();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const token = await create.run(
      () => api<CreatedApiToken>('POST', '/api/api-tokens', { name }),
      'Token created',
    );
    if (token) {
      setCreated(token);
      setName('');
      list.reload();
    }
  };
  const revokeOne = async (t: TokenInfo) => {
    const ok = await revoke.run(
      () => api('DELETE', `/api/api-tokens/${t.id}`),
      `Revoked "${t.name}"`,
    );
    if (ok !== null) list.reload();
  };

  return (
    <section>
      <h3>API tokens</h3>
      <p className="muted">
        A token acts as the admin who created it: send it as <code>Authorization: Bearer …</code>.
      </p>
      <form
        className="card"
        onSubmit={(e) => void submit(e)}
        aria-label="New API token"
        data-testid="token-form"
      >
        <Field label="Token name" name="name" error={create.fieldError('name')} hint="What uses it">
          {(p) => (
            <input
              {...p}
              type="text"
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="token-name"
            />
          )}
        </Field>
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={create.busy}
            data-testid="token-create"
          >
            Create token
          </button>
          <FormStatus submission={create} claimed={['name']} />
        </div>
      </form>
      {created && (
        <SecretOnce
          label={`Token "${created.name}"`}
          value={created.token}
          testid="token-secret"
          onDismiss={() => setCreated(null)}
        />
      )}
      <LoadState error={list.error} loading={list.loading && !list.data} />
      <FormStatus submission={revoke} />
      <table data-testid="tokens-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Acts as</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.length === 0 && <EmptyRow colSpan={6}>No API tokens yet.</EmptyRow>}
          {list.data?.map((t) => (
            <tr key={t.id} data-testid="token-row" data-id={t.id}>
              <td>{t.name}</td>
              <td>{users.nameOf(t.userId)}</td>
              <td>{formatTime(t.createdAt)}</td>
              <td>{t.lastUsedAt ? formatTime(t.lastUsedAt) : 'Never'}</td>
              <td>
                {t.revokedAt ? (
                  <span title={formatTime(t.revokedAt)}>
                    <StatusBadge status="revoked" />
                  </span>
                ) : (
                  <StatusBadge status="active" />
                )}
              </td>
              <td>
                {!t.revokedAt && (
                  <ConfirmButton
                    label="Revoke"
                    question={`Revoke "${t.name}"? Whatever uses it stops working at once.`}
                    onConfirm={() => void revokeOne(t)}
                    testid="token-revoke"
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SigningSecretSection() {
  const [secret, setSecret] = useState<string | null>(null);
  const reveal = useSubmit();
  const show = async () => {
    const result = await reveal.run(
      () => api<{ secret: string }>('GET', '/api/settings/webhook-secret'),
      'Shown',
    );
    if (result) setSecret(result.secret);
  };
  return (
    <section>
      <h3>Webhook signing secret</h3>
      <p className="muted">
        Every webhook Parlour sends carries <code>X-Parlour-Timestamp</code> and{' '}
        <code>
          X-Parlour-Signature: v1=HMAC-SHA256(secret, &quot;&lt;timestamp&gt;.&lt;body&gt;&quot;)
        </code>{' '}
        in hex. Receivers check it with this secret.
      </p>
      {secret ? (
        <SecretOnce
          label="Webhook signing secret"
          value={secret}
          testid="webhook-secret"
          once={false}
          onDismiss={() => setSecret(null)}
        />
      ) : (
        <button type="button" onClick={() => void show()} data-testid="webhook-secret-show">
          Show the secret
        </button>
      )}
      <FormStatus submission={{ ...reveal, done: null }} />
    </section>
  );
}

function DeliveriesSection() {
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const list = useLoad<WebhookDelivery[]>(`/api/webhook-deliveries${query({ status, limit: 50 })}`);
  const retry = useSubmit();
  const retryOne = async (d: WebhookDelivery) => {
    const ok = await retry.run(
      () => api<WebhookDelivery>('POST', `/api/webhook-deliveries/${d.id}/retry`),
      'Queued again',
    );
    if (ok) list.reload();
  };
  return (
    <section>
      <div className="page-header">
        <h3>Webhook deliveries</h3>
        <div className="filters">
          <Field label="Status" name="status">
            {(p) => (
              <select
                {...p}
                value={status}
                onChange={(e) => setStatus(e.target.value as WebhookDeliveryStatus | '')}
                data-testid="webhook-status-filter"
              >
                <option value="">All</option>
                <option value="pending">Pending</option>
                <option value="delivered">Delivered</option>
                <option value="failed">Failed</option>
              </select>
            )}
          </Field>
          <button type="button" onClick={list.reload} data-testid="webhook-refresh">
            Refresh
          </button>
        </div>
      </div>
      <p className="muted">
        What trigger and automation webhooks sent, newest first (the last 50).
      </p>
      <LoadState error={list.error} loading={list.loading && !list.data} />
      <FormStatus submission={retry} />
      <table data-testid="webhook-deliveries">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">URL</th>
            <th scope="col">Status</th>
            <th scope="col">Tries</th>
            <th scope="col">Last answer</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.length === 0 && <EmptyRow colSpan={7}>No webhook deliveries.</EmptyRow>}
          {list.data?.map((d) => (
            <tr key={d.id} data-testid="webhook-delivery-row">
              <td>
                {d.ruleName} <span className="muted">({d.ruleType})</span>
              </td>
              <td className="clip">{d.url}</td>
              <td>
                <StatusBadge status={d.status} />
              </td>
              <td>{d.attempts}</td>
              <td className="clip">
                {d.lastStatus ?? ''} {d.lastError ?? (d.lastStatus === null ? '—' : '')}
              </td>
              <td>{formatTime(d.createdAt)}</td>
              <td>
                {d.status === 'failed' && (
                  <button
                    type="button"
                    disabled={retry.busy}
                    onClick={() => void retryOne(d)}
                    data-testid="webhook-retry"
                  >
                    Retry
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** API tokens (shown once), the webhook signing secret and what webhooks delivered. */
export default function ApiTokensPage(_props: PageProps) {
  return (
    <div className="content-page" data-testid="api-tokens-page">
      <PageHeader title="API tokens and webhooks" />
      <TokensSection />
      <SigningSecretSection />
      <DeliveriesSection />
    </div>
  );
}
