/** What the PCI DSS scanner finds. Card numbers are always looked for; the others are options. */
export type SensitiveKind = 'card_number' | 'security_code' | 'expiry_date' | 'iban' | 'ssn';

/** Optional detectors (seed 004 asks for card data; IBAN and US SSN are off unless an admin turns them on). */
export interface DetectorOptions {
  readonly iban?: boolean;
  readonly ssn?: boolean;
}

/** One sensitive item: `text.slice(start, end)` is the raw data (never stored or logged). */
export interface Finding {
  readonly kind: SensitiveKind;
  readonly start: number;
  readonly end: number;
}

/** How much of a masked card number stays visible: the last four digits, or the first six too (the PCI maximum). */
export type MaskStyle = 'last4' | 'first6_last4';

export interface RedactionPolicy {
  readonly detectors?: DetectorOptions;
  readonly mask?: MaskStyle;
}

/** The text with every finding masked, and how many items of each kind were masked (no data). */
export interface Redaction {
  readonly text: string;
  readonly counts: Readonly<Partial<Record<SensitiveKind, number>>>;
  readonly total: number;
}
