import { useState, type ReactNode } from 'react';
import './people.css';

/** Pieces the people-and-routing pages share: confirmation, empty states, chips, number inputs. */

/**
 * A destructive action that asks first: the button turns into "Really …? [confirm] [Cancel]".
 * `testId` names the first button; the confirming one is `<testId>-confirm`.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  testId,
  disabled = false,
  accessibleName,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<unknown>;
  testId: string;
  disabled?: boolean;
  accessibleName?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button
        type="button"
        className="people-danger"
        data-testid={testId}
        disabled={disabled}
        aria-label={accessibleName}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  return (
    <span className="people-confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        type="button"
        className="people-danger people-danger-solid"
        data-testid={`${testId}-confirm`}
        onClick={() => {
          setAsking(false);
          void onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

/** What a list shows when it has nothing yet, and what to do about it. */
export function EmptyState({
  title,
  children,
  testId,
}: {
  title: string;
  children?: ReactNode;
  testId: string;
}) {
  return (
    <div className="people-empty" data-testid={testId}>
      <strong>{title}</strong>
      {children}
    </div>
  );
}

export function Chip({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <span className={`people-chip ${className}`.trim()}>{children}</span>;
}

/** A table in the pages' frame. */
export function PeopleTable({
  label,
  testId,
  children,
}: {
  label: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div className="people-table">
      <table aria-label={label} data-testid={testId}>
        {children}
      </table>
    </div>
  );
}

/**
 * The value of a number input for the API: empty is `null` (off / the default), a number is a
 * number, anything else goes as typed so the API refuses it with its own message on that field.
 */
export function numberOrNull(text: string): number | null | string {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

/** Like `numberOrNull`, for fields that have no "off": empty goes as typed (the API refuses it). */
export function numberOrText(text: string): number | string {
  const n = numberOrNull(text);
  return n === null ? text : n;
}

/** Seconds as people read them: 90 → "1 min 30 s", 3600 → "1 h". */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return 'off';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', s || (!h && !m) ? `${s} s` : '']
    .filter(Boolean)
    .join(' ');
}
