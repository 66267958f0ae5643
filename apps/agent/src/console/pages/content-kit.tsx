import { useState, type ReactNode } from 'react';
import type { Group, User } from '@parlour/protocol';
import { useLoad } from '../form-kit.js';

/** Shared pieces of the agent-tools, channel and security pages. */

/** A timestamp as a short local date and time ('—' for none). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** The rows of a table, or one row saying there is nothing yet. */
export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="muted" data-testid="empty-state">
        {children}
      </td>
    </tr>
  );
}

/**
 * A secret the API shows once (a token, an inbox's signing secret): shown with a copy button
 * until the admin dismisses it; it cannot be shown again.
 */
export function SecretOnce({
  label,
  value,
  testid,
  onDismiss,
  once = true,
}: {
  label: string;
  value: string;
  testid: string;
  onDismiss: () => void;
  /** False for a secret that can be shown again (the webhook signing key). */
  once?: boolean;
}) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = () => {
    if (!navigator.clipboard) return setCopied('no');
    navigator.clipboard.writeText(value).then(
      () => setCopied('yes'),
      () => setCopied('no'),
    );
  };
  return (
    <div className="card secret-once" role="region" aria-label={label} data-testid={testid}>
      <p>
        <strong>{label}</strong>
        {once ? ' — copy it now: it is shown this once and cannot be shown again.' : ''}
      </p>
      <div className="secret-row">
        <code data-testid={`${testid}-value`}>{value}</code>
        <button type="button" onClick={copy} data-testid={`${testid}-copy`}>
          Copy
        </button>
        <button type="button" onClick={onDismiss} data-testid={`${testid}-dismiss`}>
          Done
        </button>
      </div>
      {copied === 'yes' && (
        <p className="ok" role="status">
          Copied.
        </p>
      )}
      {copied === 'no' && (
        <p className="muted" role="status">
          Copying is not allowed here: select the text and copy it yourself.
        </p>
      )}
    </div>
  );
}

/** A destructive action that asks first: the first press shows "Yes, …" and "Cancel". */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  testid,
  disabled,
}: {
  label: string;
  question: string;
  onConfirm: () => void;
  testid: string;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button
        type="button"
        className="danger"
        disabled={disabled}
        onClick={() => setAsking(true)}
        data-testid={testid}
      >
        {label}
      </button>
    );
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        type="button"
        className="danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        data-testid={`${testid}-confirm`}
      >
        Yes, {label.toLowerCase()}
      </button>
      <button type="button" onClick={() => setAsking(false)} data-testid={`${testid}-cancel`}>
        Cancel
      </button>
    </span>
  );
}

/** Groups by id (for selects and for naming groups in tables). */
export function useGroups(): { groups: readonly Group[]; nameOf: (id: string | null) => string } {
  const { data } = useLoad<Group[]>('/api/groups');
  const groups = data ?? [];
  return {
    groups,
    nameOf: (id) => (id === null ? '—' : (groups.find((g) => g.id === id)?.name ?? id)),
  };
}

/** Staff by id (for selects and for naming people in tables). */
export function useUsers(): { users: readonly User[]; nameOf: (id: string | null) => string } {
  const { data } = useLoad<User[]>('/api/users');
  const users = data ?? [];
  return {
    users,
    nameOf: (id) => (id === null ? '—' : (users.find((u) => u.id === id)?.name ?? id)),
  };
}

/** A status as a small coloured label. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}
