import {
  DomainError,
  redactSensitiveData,
  type ContentRedactedEventData,
  type DetectorOptions,
  type MaskStyle,
  type Redaction,
  type RedactionSource,
  type SensitiveKind,
} from '@parlour/core';
import type { PciMode } from '@parlour/protocol';
import type { Db } from '@parlour/storage';
import type { SettingsService } from '../settings-service.js';

/** The admin's PCI DSS settings, as the scanner needs them. */
export interface GuardPolicy {
  readonly mode: PciMode;
  readonly mask: MaskStyle;
  readonly detectors: DetectorOptions;
}

/** What the guard did to one piece of text: nothing, masked it, or refused it (drop mode). */
export type GuardOutcome =
  | { readonly action: 'clean'; readonly text: string }
  | {
      readonly action: 'masked' | 'dropped';
      readonly text: string;
      readonly counts: Redaction['counts'];
    };

/**
 * PCI DSS at the ingress (seed 004): every text a user sends passes here before it is stored,
 * published, logged or forwarded. Card data is masked (redact mode) or the text refused (drop
 * mode), per the admin's setting. Callers record what happened with `redactionEvent`.
 */
export class ContentGuard {
  constructor(private readonly settings: SettingsService) {}

  /** With `db` (a transaction), reads the settings through it (PGlite has one connection). */
  async policy(db?: Db): Promise<GuardPolicy> {
    const s = await this.settings.current(db);
    return {
      mode: s.pciMode,
      mask: s.pciMask,
      detectors: { iban: s.pciDetectIban, ssn: s.pciDetectSsn },
    };
  }

  inspect(text: string, policy: GuardPolicy): GuardOutcome {
    const redaction = redactSensitiveData(text, { detectors: policy.detectors, mask: policy.mask });
    if (redaction.total === 0) return { action: 'clean', text };
    return policy.mode === 'drop'
      ? { action: 'dropped', text: '', counts: redaction.counts }
      : { action: 'masked', text: redaction.text, counts: redaction.counts };
  }

  /** Masks whatever the policy says, even in drop mode: for fields that are kept while the message is refused. */
  mask(text: string, policy: GuardPolicy): GuardOutcome {
    const redaction = redactSensitiveData(text, { detectors: policy.detectors, mask: policy.mask });
    if (redaction.total === 0) return { action: 'clean', text };
    return { action: 'masked', text: redaction.text, counts: redaction.counts };
  }
}

export function redactionEvent(
  source: RedactionSource,
  outcome: GuardOutcome & { action: 'masked' | 'dropped' },
): ContentRedactedEventData {
  return { type: 'content.redacted', source, action: outcome.action, counts: outcome.counts };
}

const NAMES: Record<SensitiveKind, [string, string]> = {
  card_number: ['card number', 'card numbers'],
  security_code: ['security code', 'security codes'],
  expiry_date: ['expiry date', 'expiry dates'],
  iban: ['IBAN', 'IBANs'],
  ssn: ['social security number', 'social security numbers'],
};

/** "1 card number and 1 security code": what was found, never the data. */
export function describeCounts(counts: Readonly<Partial<Record<SensitiveKind, number>>>): string {
  const parts = (Object.entries(counts) as [SensitiveKind, number][])
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${NAMES[kind][n === 1 ? 0 : 1]}`);
  if (parts.length <= 1) return parts[0] ?? 'sensitive data';
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The reply to the sender of a dropped message (drop mode): removed, and why. */
export function droppedError(
  counts: Readonly<Partial<Record<SensitiveKind, number>>>,
  field = 'body',
): DomainError {
  return new DomainError(
    'content/card-data',
    field === 'body'
      ? `Your message was removed and not delivered because it contained ${describeCounts(counts)}. ` +
          'For your security, never send card details in a message.'
      : `"${field}" was refused because it contained ${describeCounts(counts)}; nothing was saved. ` +
          'Card details must never be entered here.',
    field,
  );
}

/**
 * A text field (a subject, a name, a setting): masked in redact mode, refused in drop mode.
 * Returns the value to keep and, when something was masked, the event to record.
 */
export function guardField(
  guard: ContentGuard,
  policy: GuardPolicy,
  value: string,
  field: string,
  source: RedactionSource,
): { value: string; event: ContentRedactedEventData | null } {
  const outcome = guard.inspect(value, policy);
  if (outcome.action === 'clean') return { value, event: null };
  if (outcome.action === 'dropped') throw droppedError(outcome.counts, field);
  return { value: outcome.text, event: redactionEvent(source, outcome) };
}

/** Tags are identifiers: one with card data cannot be masked usefully, so it is always refused. */
export function assertNoSensitiveTags(
  guard: ContentGuard,
  policy: GuardPolicy,
  tags: readonly string[] | undefined,
  field: string,
): void {
  for (const tag of tags ?? []) {
    const outcome = guard.inspect(tag, { ...policy, mode: 'drop' });
    if (outcome.action !== 'clean') throw droppedError(outcome.counts, field);
  }
}
