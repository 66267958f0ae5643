import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { ApiError, api, describeError } from '../api.js';

/**
 * The console's shared form pieces: every form shows the API's own error next to the field the
 * API names (`error.field`, a dot path such as `conditions.all.0.value`), and saves nothing else.
 */

/** Load a resource; `reload()` fetches it again. */
export function useLoad<T>(path: string | null): {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoading(true);
    api<T>('GET', path)
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => live && setError(describeError(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export interface Submission {
  readonly busy: boolean;
  /** The last failure, when it named no field (or a field no input claims). */
  readonly error: ApiError | Error | null;
  /** The API's message when its `field` is `name` or lies under it (`name.…`). */
  readonly fieldError: (name: string) => string | undefined;
  /** A short confirmation after the last success ("Saved"). */
  readonly done: string | null;
  /** Run one API call; failures are kept for display, never thrown. Resolves to the result or null. */
  readonly run: <T>(call: () => Promise<T>, doneText?: string) => Promise<T | null>;
  readonly clear: () => void;
}

/** One form's submission state. */
export function useSubmit(): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = useCallback(async <T,>(call: () => Promise<T>, doneText = 'Saved') => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await call();
      setDone(doneText);
      return result;
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      return null;
    } finally {
      setBusy(false);
    }
  }, []);
  const fieldError = useCallback(
    (name: string) => {
      if (!(error instanceof ApiError) || !error.field) return undefined;
      return error.field === name || error.field.startsWith(`${name}.`) ? error.message : undefined;
    },
    [error],
  );
  const clear = useCallback(() => {
    setError(null);
    setDone(null);
  }, []);
  return { busy, error, fieldError, done, run, clear };
}

/** A labelled input with the API's error for it underneath. `name` is the API field path. */
export function Field({
  label,
  name,
  error,
  hint,
  children,
}: {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: string;
  children: (props: {
    id: string;
    name: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => ReactNode;
}) {
  const id = useId();
  const described = [error ? `${id}-error` : '', hint ? `${id}-hint` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        name,
        'aria-invalid': Boolean(error),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p
          className="field-error"
          id={`${id}-error`}
          role="alert"
          data-testid={`field-error-${name}`}
        >
          {error}
        </p>
      )}
    </div>
  );
}

/** The outcome of the last submission: a failure no field claimed, or the confirmation. */
export function FormStatus({
  submission,
  claimed = [],
}: {
  submission: Submission;
  /** Field names shown next to inputs; an error for one of these is not repeated here. */
  claimed?: readonly string[];
}) {
  const { error, done } = submission;
  if (error) {
    const field = error instanceof ApiError ? error.field : undefined;
    if (field && claimed.some((c) => field === c || field.startsWith(`${c}.`))) return null;
    return (
      <p className="error" role="alert" data-testid="form-error">
        {describeError(error)}
        {field ? ` (${field})` : ''}
      </p>
    );
  }
  if (done)
    return (
      <p className="ok" role="status" data-testid="form-done">
        {done}
      </p>
    );
  return null;
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h2>{title}</h2>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

/** A load failure or the loading line. */
export function LoadState({ error, loading }: { error: string | null; loading: boolean }) {
  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (loading)
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  return null;
}
