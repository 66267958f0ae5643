import { useState } from 'react';
import type {
  ApiDelivery,
  ApiDeliveryStatus,
  ApiInbox,
  ApiInboxWithSecret,
} from '@parlour/protocol';
import { api, query } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import {
  ConfirmButton,
  EmptyRow,
  SecretOnce,
  StatusBadge,
  formatTime,
  useGroups,
} from './content-kit.js';
import {
  EMPTY_INBOX,
  InboxForm,
  inboxBodyOf,
  inboxDraftOf,
  type InboxDraft,
} from './content-inbox-form.js';
import './content.css';

/** This page's path (sections.ts's CONSOLE_BASE; importing it would be a cycle). */
const BASE = '/agent/console/api-channel';

interface Shown {
  readonly inboxName: string;
  readonly secret: string;
}

function Deliveries({ inbox }: { inbox: ApiInbox }) {
  const [status, setStatus] = useState<ApiDeliveryStatus | ''>('');
  const list = useLoad<ApiDelivery[]>(
    `/api/channels/api/inboxes/${inbox.id}/deliveries${query({ status, limit: 50 })}`,
  );
  const retry = useSubmit();
  const retryOne = async (d: ApiDelivery) => {
    const ok = await retry.run(
      () =>
        api<ApiDelivery>('POST', `/api/channels/api/inboxes/${inbox.id}/deliveries/${d.id}/retry`),
      'Queued again',
    );
    if (ok) list.reload();
  };
  return (
    <section>
      <div className="page-header">
        <h3>Deliveries to the webhook</h3>
        <div className="filters">
          <Field label="Status" name="status">
            {(p) => (
              <select
                {...p}
                value={status}
                onChange={(e) => setStatus(e.target.value as ApiDeliveryStatus | '')}
                data-testid="delivery-status-filter"
              >
                <option value="">All</option>
                <option value="pending">Pending</option>
                <option value="delivered">Delivered</option>
                <option value="failed">Failed</option>
              </select>
            )}
          </Field>
          <button type="button" onClick={list.reload}>
            Refresh
          </button>
        </div>
      </div>
      <LoadState error={list.error} loading={list.loading && !list.data} />
      <FormStatus submission={retry} />
      <table data-testid="inbox-deliveries">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Conversation</th>
            <th scope="col">Status</th>
            <th scope="col">Tries</th>
            <th scope="col">Last answer</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.length === 0 && <EmptyRow colSpan={6}>No deliveries yet.</EmptyRow>}
          {list.data?.map((d) => (
            <tr key={d.id} data-testid="inbox-delivery-row">
              <td>{formatTime(d.createdAt)}</td>
              <td>
                <code>{d.conversationId.slice(0, 8)}…</code>
              </td>
              <td>
                <StatusBadge status={d.status} />
              </td>
              <td>{d.attempts}</td>
              <td className="clip">
                {d.lastStatus ?? ''} {d.lastError ?? (d.lastStatus === null ? '—' : '')}
              </td>
              <td>
                {d.status === 'failed' && (
                  <button
                    type="button"
                    disabled={retry.busy}
                    onClick={() => void retryOne(d)}
                    data-testid="inbox-delivery-retry"
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

/** One inbox: edit it, rotate its secret, delete it, and see its deliveries. */
function InboxDetail({
  inboxId,
  navigate,
  shown,
  onShown,
}: {
  inboxId: string;
  navigate: (path: string) => void;
  shown: Shown | null;
  onShown: (s: Shown | null) => void;
}) {
  const loaded = useLoad<ApiInbox>(`/api/channels/api/inboxes/${inboxId}`);
  const { groups } = useGroups();
  const form = useSubmit();
  const action = useSubmit();
  const [version, setVersion] = useState(0);

  const save = async (draft: InboxDraft) => {
    const saved = await form.run(
      () => api<ApiInbox>('PATCH', `/api/channels/api/inboxes/${inboxId}`, inboxBodyOf(draft)),
      'Inbox saved',
    );
    if (saved) loaded.reload();
  };
  const rotate = async () => {
    const result = await action.run(
      () => api<ApiInboxWithSecret>('POST', `/api/channels/api/inboxes/${inboxId}/rotate-secret`),
      'New secret made: the old one no longer works',
    );
    if (result) onShown({ inboxName: result.inbox.name, secret: result.secret });
  };
  const remove = async () => {
    const ok = await action.run(() => api('DELETE', `/api/channels/api/inboxes/${inboxId}`));
    if (ok !== null) navigate(BASE);
  };

  const inbox = loaded.data;
  return (
    <div className="content-page" data-testid="inbox-detail">
      <PageHeader title={inbox ? `API inbox: ${inbox.name}` : 'API inbox'}>
        <button type="button" onClick={() => navigate(BASE)} data-testid="inbox-back">
          All inboxes
        </button>
      </PageHeader>
      <LoadState error={loaded.error} loading={loaded.loading && !inbox} />
      {shown && (
        <SecretOnce
          label={`Signing secret of "${shown.inboxName}"`}
          value={shown.secret}
          testid="inbox-secret"
          onDismiss={() => onShown(null)}
        />
      )}
      {inbox && (
        <>
          <div className="card">
            <p>
              The integration posts inbound messages to{' '}
              <code data-testid="inbox-inbound-url">{inbox.inboundUrl}</code>, signed with the
              inbox&apos;s secret (<code>X-Parlour-Timestamp</code>,{' '}
              <code>
                X-Parlour-Signature: v1=HMAC-SHA256(secret,
                &quot;&lt;timestamp&gt;.&lt;body&gt;&quot;)
              </code>
              ) and an <code>Idempotency-Key</code>.
            </p>
            <div className="row-actions">
              <ConfirmButton
                label="Rotate secret"
                question="Make a new secret? The current one stops working at once."
                onConfirm={() => void rotate()}
                testid="inbox-rotate"
              />
              <ConfirmButton
                label="Delete inbox"
                question={`Delete "${inbox.name}"? Its conversations and tickets stay.`}
                onConfirm={() => void remove()}
                testid="inbox-delete"
              />
            </div>
            <FormStatus submission={action} />
          </div>
          <InboxForm
            key={`${inbox.updatedAt}:${version}`}
            initial={inboxDraftOf(inbox)}
            groups={groups}
            submission={form}
            title="Settings"
            onSave={(d) => void save(d)}
            onCancel={() => {
              form.clear();
              setVersion((v) => v + 1);
            }}
          />
          <Deliveries inbox={inbox} />
        </>
      )}
    </div>
  );
}

/** The API channel: inboxes that connect an integration (a messaging network, an app) to Parlour. */
export default function ApiChannelPage({ rest, navigate }: PageProps) {
  const list = useLoad<ApiInbox[]>(rest ? null : '/api/channels/api/inboxes');
  const { groups, nameOf } = useGroups();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const create = useSubmit();

  if (rest)
    return <InboxDetail inboxId={rest} navigate={navigate} shown={shown} onShown={setShown} />;

  const save = async (draft: InboxDraft) => {
    const created = await create.run(
      () => api<ApiInboxWithSecret>('POST', '/api/channels/api/inboxes', inboxBodyOf(draft)),
      'Inbox created',
    );
    if (created) {
      setShown({ inboxName: created.inbox.name, secret: created.secret });
      setCreating(false);
      list.reload();
    }
  };

  return (
    <div className="content-page" data-testid="api-channel-page">
      <PageHeader title="API channel">
        <button
          type="button"
          className="primary"
          onClick={() => {
            create.clear();
            setCreating(true);
          }}
          data-testid="inbox-new"
        >
          New inbox
        </button>
      </PageHeader>
      <p className="muted">
        Each inbox connects one integration: it posts customers&apos; messages to Parlour (signed)
        and receives agents&apos; replies at its webhook.
      </p>
      {creating && (
        <InboxForm
          initial={EMPTY_INBOX}
          groups={groups}
          submission={create}
          title="New inbox"
          onSave={(d) => void save(d)}
          onCancel={() => setCreating(false)}
        />
      )}
      {shown && (
        <SecretOnce
          label={`Signing secret of "${shown.inboxName}"`}
          value={shown.secret}
          testid="inbox-secret"
          onDismiss={() => setShown(null)}
        />
      )}
      <LoadState error={list.error} loading={list.loading && !list.data} />
      <table data-testid="inboxes-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Webhook URL</th>
            <th scope="col">Default group</th>
            <th scope="col">Reply window</th>
            <th scope="col">Templates</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.length === 0 && (
            <EmptyRow colSpan={7}>No API inboxes yet: create one for each integration.</EmptyRow>
          )}
          {list.data?.map((inbox) => (
            <tr key={inbox.id} data-testid="inbox-row" data-id={inbox.id}>
              <td>{inbox.name}</td>
              <td className="clip">{inbox.webhookUrl}</td>
              <td>{nameOf(inbox.defaultGroupId)}</td>
              <td>{inbox.replyWindowHours === null ? '—' : `${inbox.replyWindowHours} h`}</td>
              <td>{inbox.templates.length}</td>
              <td>{formatTime(inbox.createdAt)}</td>
              <td>
                <a
                  href={`${BASE}/${inbox.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`${BASE}/${inbox.id}`);
                  }}
                  data-testid="inbox-open"
                >
                  Open
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
