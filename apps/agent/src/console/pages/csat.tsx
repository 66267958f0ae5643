import { useMemo, type FormEvent } from 'react';
import type { ReportResult, Settings } from '@parlour/protocol';
import { query } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { EmptyRow } from './content-kit.js';
import { useSettingsDraft } from './content-settings.js';
import './content.css';

const toDraft = (s: Settings) => ({ csatExpiryDays: String(s.csatExpiryDays) });
const DAY_MS = 24 * 60 * 60 * 1000;

function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value)}% good`;
}

/** The satisfaction score of the last 30 days (the reports API), overall and by agent. */
function RecentResults() {
  // One range per visit: to the next whole hour, so the query stays the same across renders.
  const range = useMemo(() => {
    const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    return { from: new Date(to.getTime() - 30 * DAY_MS).toISOString(), to: to.toISOString() };
  }, []);
  const report = useLoad<ReportResult>(
    `/api/reports${query({ metric: 'csat_score', ...range, groupBy: 'agent' })}`,
  );
  return (
    <section>
      <h3>Last 30 days</h3>
      <LoadState error={report.error} loading={report.loading && !report.data} />
      {report.data && (
        <>
          <p data-testid="csat-total">
            <strong>{percent(report.data.total.value)}</strong>{' '}
            <span className="muted">
              from {report.data.total.n} answer{report.data.total.n === 1 ? '' : 's'}
            </span>
          </p>
          <table data-testid="csat-by-agent">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Answers</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {report.data.rows.filter((r) => r.n > 0).length === 0 && (
                <EmptyRow colSpan={3}>No surveys were answered in the last 30 days.</EmptyRow>
              )}
              {report.data.rows
                .filter((r) => r.n > 0)
                .map((r) => (
                  <tr key={r.label}>
                    <td>{r.label}</td>
                    <td>{r.n}</td>
                    <td>{percent(r.value)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <p className="muted">More in Reports (metric “CSAT score”).</p>
        </>
      )}
    </section>
  );
}

/** Customer satisfaction surveys: how long a survey stays open, and recent results. */
export default function CsatPage(_props: PageProps) {
  const { draft, setDraft, loadError, loading, submission, save } = useSettingsDraft(toDraft);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    // Sent as typed: the API says what is wrong with it (e.g. 0, 2.5 or 400 days).
    await save({ csatExpiryDays: Number(draft.csatExpiryDays) });
  };

  return (
    <div className="content-page" data-testid="csat-page">
      <PageHeader title="Customer satisfaction (CSAT)" />
      <p className="muted">
        A trigger or automation with the action “Send satisfaction survey” asks the customer “How
        would you rate the support you received?” — in the widget while the chat is open, otherwise
        by email with a link. Each ticket is rated once (good or bad, with an optional comment).
      </p>
      <LoadState error={loadError} loading={loading && !draft} />
      {draft && (
        <form
          className="card"
          onSubmit={(e) => void submit(e)}
          aria-label="Survey settings"
          data-testid="csat-form"
        >
          <Field
            label="Survey links stay open for (days)"
            name="csatExpiryDays"
            error={submission.fieldError('csatExpiryDays')}
            hint="1 to 365"
          >
            {(p) => (
              <input
                {...p}
                type="number"
                value={draft.csatExpiryDays}
                onChange={(e) => setDraft({ csatExpiryDays: e.target.value })}
                data-testid="csat-expiry-days"
              />
            )}
          </Field>
          <div className="form-actions">
            <button
              type="submit"
              className="primary"
              disabled={submission.busy}
              data-testid="csat-save"
            >
              Save
            </button>
            <FormStatus submission={submission} claimed={['csatExpiryDays']} />
          </div>
        </form>
      )}
      <RecentResults />
    </div>
  );
}
