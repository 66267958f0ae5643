import { type FormEvent } from 'react';
import type { PciMask, PciMode, Settings, UnscannableAttachments } from '@parlour/protocol';
import { Field, FormStatus, LoadState, PageHeader } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { useSettingsDraft } from './content-settings.js';
import './content.css';

interface Draft {
  pciMode: PciMode;
  pciMask: PciMask;
  pciDetectIban: boolean;
  pciDetectSsn: boolean;
  /** Megabytes as typed; the API takes bytes. */
  attachmentMaxMb: string;
  unscannableAttachments: UnscannableAttachments;
}

const MB = 1024 * 1024;

function toDraft(s: Settings): Draft {
  return {
    pciMode: s.pciMode,
    pciMask: s.pciMask,
    pciDetectIban: s.pciDetectIban,
    pciDetectSsn: s.pciDetectSsn,
    attachmentMaxMb: String(Math.round((s.attachmentMaxBytes / MB) * 100) / 100),
    unscannableAttachments: s.unscannableAttachments,
  };
}

const FIELDS = [
  'pciMode',
  'pciMask',
  'pciDetectIban',
  'pciDetectSsn',
  'attachmentMaxBytes',
  'unscannableAttachments',
];

/** PCI DSS handling of card data in messages, and what attachments are accepted. */
export default function CompliancePage(_props: PageProps) {
  const { draft, setDraft, loadError, loading, submission, save } = useSettingsDraft(toDraft);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const mb = Number(draft.attachmentMaxMb);
    await save({
      pciMode: draft.pciMode,
      pciMask: draft.pciMask,
      pciDetectIban: draft.pciDetectIban,
      pciDetectSsn: draft.pciDetectSsn,
      attachmentMaxBytes: Number.isFinite(mb) ? Math.round(mb * MB) : -1,
      unscannableAttachments: draft.unscannableAttachments,
    });
  };

  return (
    <div className="content-page" data-testid="compliance-page">
      <PageHeader title="PCI and attachments" />
      <LoadState error={loadError} loading={loading && !draft} />
      {draft && (
        <form
          className="card"
          onSubmit={(e) => void submit(e)}
          aria-label="PCI and attachments"
          data-testid="compliance-form"
        >
          <fieldset aria-describedby="pci-mode-hint">
            <legend>Card numbers in messages</legend>
            <p className="field-hint" id="pci-mode-hint">
              Messages and notes from every channel are checked for payment card numbers
              (Luhn-valid) before they are stored.
            </p>
            <label className="radio">
              <input
                type="radio"
                name="pciMode"
                value="redact"
                checked={draft.pciMode === 'redact'}
                onChange={() => setDraft({ ...draft, pciMode: 'redact' })}
                data-testid="pci-mode-redact"
              />
              <span>Redact — store the message with the card number masked</span>
            </label>
            <label className="radio">
              <input
                type="radio"
                name="pciMode"
                value="drop"
                checked={draft.pciMode === 'drop'}
                onChange={() => setDraft({ ...draft, pciMode: 'drop' })}
                data-testid="pci-mode-drop"
              />
              <span>Drop — refuse the whole message; the sender is told why</span>
            </label>
            {submission.fieldError('pciMode') && (
              <p className="field-error" role="alert" data-testid="field-error-pciMode">
                {submission.fieldError('pciMode')}
              </p>
            )}
          </fieldset>
          <Field label="Masking" name="pciMask" error={submission.fieldError('pciMask')}>
            {(p) => (
              <select
                {...p}
                value={draft.pciMask}
                onChange={(e) => setDraft({ ...draft, pciMask: e.target.value as PciMask })}
                data-testid="pci-mask"
              >
                <option value="last4">Keep the last 4 digits (**** **** **** 4242)</option>
                <option value="first6_last4">
                  Keep the first 6 and last 4 digits (4242 42** **** 4242, the PCI maximum)
                </option>
              </select>
            )}
          </Field>
          <fieldset>
            <legend>Also detect</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.pciDetectIban}
                onChange={(e) => setDraft({ ...draft, pciDetectIban: e.target.checked })}
                data-testid="pci-detect-iban"
              />
              IBANs (bank account numbers)
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.pciDetectSsn}
                onChange={(e) => setDraft({ ...draft, pciDetectSsn: e.target.checked })}
                data-testid="pci-detect-ssn"
              />
              US Social Security numbers
            </label>
          </fieldset>
          <Field
            label="Largest attachment (MB)"
            name="attachmentMaxBytes"
            error={submission.fieldError('attachmentMaxBytes')}
            hint="From 0.001 MB (1 KB) to 50 MB"
          >
            {(p) => (
              <input
                {...p}
                type="number"
                step="any"
                value={draft.attachmentMaxMb}
                onChange={(e) => setDraft({ ...draft, attachmentMaxMb: e.target.value })}
                data-testid="attachment-max-mb"
              />
            )}
          </Field>
          <fieldset>
            <legend>Attachments that cannot be scanned for card data</legend>
            <p className="field-hint">
              Images, archives and other files whose text cannot be read.
            </p>
            <label className="radio">
              <input
                type="radio"
                name="unscannableAttachments"
                value="allow"
                checked={draft.unscannableAttachments === 'allow'}
                onChange={() => setDraft({ ...draft, unscannableAttachments: 'allow' })}
                data-testid="unscannable-allow"
              />
              <span>Accept them</span>
            </label>
            <label className="radio">
              <input
                type="radio"
                name="unscannableAttachments"
                value="reject"
                checked={draft.unscannableAttachments === 'reject'}
                onChange={() => setDraft({ ...draft, unscannableAttachments: 'reject' })}
                data-testid="unscannable-reject"
              />
              <span>Refuse them</span>
            </label>
          </fieldset>
          <div className="form-actions">
            <button
              type="submit"
              className="primary"
              disabled={submission.busy}
              data-testid="compliance-save"
            >
              Save
            </button>
            <FormStatus submission={submission} claimed={FIELDS} />
          </div>
        </form>
      )}
    </div>
  );
}
