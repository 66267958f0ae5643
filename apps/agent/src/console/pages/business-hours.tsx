import { useEffect, useState } from 'react';
import type { BusinessHours } from '@parlour/protocol';
import { ApiError, api } from '../../api.js';
import {
  Field,
  FormStatus,
  LoadState,
  PageHeader,
  useLoad,
  useSubmit,
  type Submission,
} from '../form-kit.js';
import type { PageProps } from '../sections.js';
import {
  WEEK,
  draftFrom,
  newDraft,
  nextInterval,
  normalizeField,
  rowKey,
  summarize,
  toBody,
  type Draft,
  type DraftInterval,
} from './business-hours-draft.js';
import { browserZone, zoneOptions } from './reports-query.js';
import './business-hours.css';

/** The page's own path (sections.ts imports the pages, so its CONSOLE_BASE is not imported here). */
const BASE = '/agent/console/business-hours';

/** The API's message for this field path or anything under it ("intervals/0" reads as "intervals.0"). */
function errorAt(submission: Submission, name: string): string | undefined {
  const e = submission.error;
  if (!(e instanceof ApiError) || !e.field) return undefined;
  const field = normalizeField(e.field);
  return field === name || field.startsWith(`${name}.`) ? e.message : undefined;
}

/** Business hours: weekly schedules in a time zone, with holidays; reports and routing use them. */
export default function BusinessHoursPage({ navigate, rest }: PageProps) {
  const list = useLoad<BusinessHours[] | { items: BusinessHours[] }>('/api/business-hours');
  const schedules = Array.isArray(list.data) ? list.data : (list.data?.items ?? []);
  if (rest === 'new')
    return (
      <Editor
        key="new"
        schedule={null}
        onDone={() => {
          list.reload();
          navigate(BASE);
        }}
        onCancel={() => navigate(BASE)}
      />
    );
  if (rest) {
    const schedule = schedules.find((s) => s.id === rest);
    if (!schedule)
      return (
        <div className="business-hours">
          <PageHeader title="Business hours" />
          <LoadState error={list.error} loading={list.loading} />
          {!list.loading && !list.error && <p>This schedule does not exist (any more).</p>}
        </div>
      );
    return (
      <Editor
        key={schedule.id}
        schedule={schedule}
        onDone={() => {
          list.reload();
          navigate(BASE);
        }}
        onCancel={() => navigate(BASE)}
      />
    );
  }
  return (
    <div className="business-hours">
      <PageHeader title="Business hours">
        <button
          type="button"
          className="primary"
          data-testid="bh-new"
          onClick={() => navigate(`${BASE}/new`)}
        >
          New schedule
        </button>
      </PageHeader>
      <p className="muted">
        Reports in business hours count only the time inside a schedule; holidays are whole local
        days off.
      </p>
      <LoadState error={list.error} loading={list.loading && !list.data} />
      {list.data && schedules.length === 0 && (
        <p data-testid="bh-empty">No schedules yet: reports count calendar time only.</p>
      )}
      {schedules.length > 0 && (
        <table data-testid="bh-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Time zone</th>
              <th scope="col">Weekly hours</th>
              <th scope="col">Holidays</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {schedules.map((s) => (
              <tr key={s.id} data-testid="bh-row" data-name={s.name}>
                <td>
                  {s.name}{' '}
                  {s.isDefault && (
                    <span className="badge" data-testid="bh-default">
                      Default
                    </span>
                  )}
                </td>
                <td>{s.timeZone}</td>
                <td data-testid="bh-summary">{summarize(s.intervals)}</td>
                <td>{s.holidays.length}</td>
                <td>
                  <button
                    type="button"
                    data-testid="bh-edit"
                    aria-label={`Edit ${s.name}`}
                    onClick={() => navigate(`${BASE}/${s.id}`)}
                  >
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Editor({
  schedule,
  onDone,
  onCancel,
}: {
  schedule: BusinessHours | null;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() =>
    schedule ? draftFrom(schedule) : newDraft(browserZone()),
  );
  const submission = useSubmit();
  const remove = useSubmit();
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setInterval = (key: number, patch: Partial<DraftInterval>) =>
    setDraft((d) => ({
      ...d,
      intervals: d.intervals.map((i) => (i.key === key ? { ...i, ...patch } : i)),
    }));
  useEffect(() => {
    document.querySelector<HTMLInputElement>('[data-testid="bh-name"]')?.focus();
  }, []);

  const save = async () => {
    const body = toBody(draft);
    const saved = await submission.run(() =>
      schedule
        ? api<BusinessHours>('PUT', `/api/business-hours/${schedule.id}`, body)
        : api<BusinessHours>('POST', '/api/business-hours', body),
    );
    if (saved) onDone();
  };
  const del = async () => {
    if (!schedule) return;
    if (!window.confirm(`Delete the schedule "${schedule.name}"?`)) return;
    const ok = await remove.run(
      () => api('DELETE', `/api/business-hours/${schedule.id}`),
      'Deleted',
    );
    if (ok !== null) onDone();
  };
  const intervalsError = (() => {
    const message = errorAt(submission, 'intervals');
    const e = submission.error;
    // An error about the list itself (too many rows), not one row.
    return e instanceof ApiError && e.field && /^intervals$/.test(normalizeField(e.field))
      ? message
      : undefined;
  })();

  return (
    <div className="business-hours">
      <PageHeader title={schedule ? `Business hours: ${schedule.name}` : 'New business hours'} />
      <form
        className="card bh-editor"
        data-testid="bh-editor"
        aria-label="Schedule"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field label="Name" name="name" error={errorAt(submission, 'name')}>
          {(p) => (
            <input
              {...p}
              data-testid="bh-name"
              value={draft.name}
              maxLength={120}
              onChange={(e) => set({ name: e.target.value })}
            />
          )}
        </Field>
        <Field label="Time zone" name="timeZone" error={errorAt(submission, 'timeZone')}>
          {(p) => (
            <select
              {...p}
              data-testid="bh-time-zone"
              value={draft.timeZone}
              onChange={(e) => set({ timeZone: e.target.value })}
            >
              {zoneOptions(draft.timeZone).map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          )}
        </Field>

        <fieldset className="bh-week" data-testid="bh-week">
          <legend>Weekly hours (local time, HH:MM; 24:00 ends the day)</legend>
          {intervalsError && (
            <p className="field-error" role="alert" data-testid="field-error-intervals">
              {intervalsError}
            </p>
          )}
          {WEEK.map(({ day, long }) => {
            const rows = draft.intervals
              .map((interval, index) => ({ interval, index }))
              .filter(({ interval }) => interval.day === day);
            return (
              <div className="bh-day" key={day} data-testid={`bh-day-${day}`}>
                <span className="bh-day-name" id={`bh-day-${day}`}>
                  {long}
                </span>
                <div className="bh-day-rows">
                  {rows.length === 0 && <span className="muted">Closed</span>}
                  {rows.map(({ interval, index }) => {
                    const error = errorAt(submission, `intervals.${index}`);
                    const errorId = `bh-interval-${interval.key}-error`;
                    const described = error ? { 'aria-describedby': errorId } : {};
                    return (
                      <div
                        className={`bh-interval${error ? ' field-invalid' : ''}`}
                        key={interval.key}
                        data-testid="bh-interval"
                        data-index={index}
                      >
                        <input
                          aria-label={`${long} opens at`}
                          data-testid="bh-start"
                          className="bh-time"
                          inputMode="numeric"
                          placeholder="09:00"
                          maxLength={5}
                          value={interval.start}
                          aria-invalid={Boolean(error)}
                          {...described}
                          onChange={(e) => setInterval(interval.key, { start: e.target.value })}
                        />
                        <span aria-hidden="true">–</span>
                        <input
                          aria-label={`${long} closes at`}
                          data-testid="bh-end"
                          className="bh-time"
                          inputMode="numeric"
                          placeholder="17:00"
                          maxLength={5}
                          value={interval.end}
                          aria-invalid={Boolean(error)}
                          {...described}
                          onChange={(e) => setInterval(interval.key, { end: e.target.value })}
                        />
                        <button
                          type="button"
                          className="link"
                          data-testid="bh-remove-interval"
                          aria-label={`Remove ${long} ${interval.start}–${interval.end}`}
                          onClick={() =>
                            set({
                              intervals: draft.intervals.filter((i) => i.key !== interval.key),
                            })
                          }
                        >
                          Remove
                        </button>
                        {error && (
                          <p
                            className="field-error"
                            id={errorId}
                            role="alert"
                            data-testid={`field-error-intervals.${index}`}
                          >
                            {error}
                          </p>
                        )}
                      </div>
                    );
                  })}
                </div>
                <button
                  type="button"
                  data-testid={`bh-add-${day}`}
                  aria-label={`Add hours on ${long}`}
                  onClick={() => set({ intervals: [...draft.intervals, nextInterval(draft, day)] })}
                >
                  Add hours
                </button>
              </div>
            );
          })}
        </fieldset>

        <fieldset className="bh-holidays" data-testid="bh-holidays">
          <legend>Holidays (whole local days off)</legend>
          {draft.holidays.length === 0 && <p className="muted">No holidays.</p>}
          {draft.holidays.map((holiday, index) => {
            const dateError = errorAt(submission, `holidays.${index}.date`);
            const nameError = errorAt(submission, `holidays.${index}.name`);
            const rowError =
              dateError || nameError ? undefined : errorAt(submission, `holidays.${index}`);
            const patch = (p: Partial<typeof holiday>) =>
              set({
                holidays: draft.holidays.map((h) => (h.key === holiday.key ? { ...h, ...p } : h)),
              });
            return (
              <div className="bh-holiday" key={holiday.key} data-testid="bh-holiday">
                <Field label="Date" name={`holidays.${index}.date`} error={dateError}>
                  {(p) => (
                    <input
                      {...p}
                      type="date"
                      data-testid="bh-holiday-date"
                      value={holiday.date}
                      onChange={(e) => patch({ date: e.target.value })}
                    />
                  )}
                </Field>
                <Field label="Name" name={`holidays.${index}.name`} error={nameError}>
                  {(p) => (
                    <input
                      {...p}
                      data-testid="bh-holiday-name"
                      value={holiday.name}
                      maxLength={120}
                      onChange={(e) => patch({ name: e.target.value })}
                    />
                  )}
                </Field>
                <button
                  type="button"
                  className="link"
                  data-testid="bh-remove-holiday"
                  aria-label={`Remove holiday ${holiday.name || holiday.date || index + 1}`}
                  onClick={() =>
                    set({ holidays: draft.holidays.filter((h) => h.key !== holiday.key) })
                  }
                >
                  Remove
                </button>
                {rowError && (
                  <p
                    className="field-error"
                    role="alert"
                    data-testid={`field-error-holidays.${index}`}
                  >
                    {rowError}
                  </p>
                )}
              </div>
            );
          })}
          <button
            type="button"
            data-testid="bh-add-holiday"
            onClick={() =>
              set({ holidays: [...draft.holidays, { key: rowKey(), date: '', name: '' }] })
            }
          >
            Add holiday
          </button>
        </fieldset>

        <FormStatus
          submission={submission}
          claimed={[
            'name',
            'timeZone',
            'intervals',
            'holidays',
            // The core names rows with slashes ("intervals/0"); they are shown at the row too.
            ...draft.intervals.map((_, i) => `intervals/${i}`),
            ...draft.holidays.map((_, i) => `holidays/${i}`),
          ]}
        />
        <FormStatus submission={remove} />
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            data-testid="bh-save"
            disabled={submission.busy}
          >
            {schedule ? 'Save' : 'Create schedule'}
          </button>
          <button type="button" data-testid="bh-cancel" onClick={onCancel}>
            Cancel
          </button>
          {schedule && (
            <button
              type="button"
              className="danger"
              data-testid="bh-delete"
              disabled={remove.busy}
              onClick={() => void del()}
            >
              Delete
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
