import { digitValue } from './decimal-digits.js';
import { isGroupSeparator } from './find-card-numbers.js';
import { findSensitiveData } from './find-sensitive-data.js';
import type {
  Finding,
  MaskStyle,
  Redaction,
  RedactionPolicy,
  SensitiveKind,
} from './sensitive-data.js';

/** What replaces each hidden digit or character. */
export const MASK = '*';

const NOTHING: Readonly<Partial<Record<SensitiveKind, number>>> = Object.freeze({});

/** Masking can end a run of digits where it used to continue; re-scanning this often at most. */
const MAX_ROUNDS = 8;

/**
 * The text with its sensitive data masked, character for character (same length, separators and
 * keywords kept, so the reader sees what was there):
 * - a card number keeps its last four digits ("**** **** **** 1111"), or with 'first6_last4' also
 *   its first six when at least six digits stay hidden (16 digits or more);
 * - security codes and expiry dates are masked whole (every digit a star, 12/27 keeps its slash);
 * - an IBAN keeps its country code and last four characters ("DE** **** **** **** **30 00");
 * - an SSN keeps its last four digits ("***-**-6789").
 * Visible digits at an end where the number runs on (a separator, then unmasked digits) are
 * hidden too. Masking a card can make the digits before it read differently (a run that went on
 * into the card now ends), so the result is scanned and masked again until nothing is found
 * (at most eight rounds). The counts cover every item masked. The same string comes back when
 * nothing is found.
 */
export function redactSensitiveData(text: string, policy: RedactionPolicy = {}): Redaction {
  let findings = findSensitiveData(text, policy.detectors);
  if (findings.length === 0) return { text, counts: NOTHING, total: 0 };
  const style = policy.mask ?? 'last4';
  const counts: Partial<Record<SensitiveKind, number>> = {};
  let total = 0;
  let current = text;
  for (let round = 1; findings.length > 0; round++) {
    // Capped: the last round hides every character of what it finds (never reached in practice).
    current = maskAll(current, findings, round < MAX_ROUNDS ? style : 'none');
    for (const f of findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    total += findings.length;
    findings = round < MAX_ROUNDS ? findSensitiveData(current, policy.detectors) : [];
  }
  return { text: current, counts, total };
}

function maskAll(text: string, findings: readonly Finding[], style: MaskStyle | 'none'): string {
  let out = '';
  let at = 0;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as Finding;
    out += text.slice(at, f.start) + maskFinding(text, findings, i, style);
    at = f.end;
  }
  return out + text.slice(at);
}

function maskFinding(
  text: string,
  findings: readonly Finding[],
  i: number,
  style: MaskStyle | 'none',
): string {
  const f = findings[i] as Finding;
  const raw = text.slice(f.start, f.end);
  if (style === 'none') return maskDigits(raw, 0, 0).replace(/[A-Za-z]/g, MASK);
  // Visible digits at an end the number continues past could join that number into a new one.
  const openAfter = continuesInto(text, f.end, 1, findings[i + 1]);
  const openBefore = continuesInto(text, f.start - 1, -1, findings[i - 1]);
  switch (f.kind) {
    case 'card_number': {
      const first = style === 'first6_last4' && countDigits(raw) >= 16 && !openBefore ? 6 : 0;
      return maskDigits(raw, first, openAfter ? 0 : 4);
    }
    case 'ssn':
      return maskDigits(raw, 0, openAfter ? 0 : 4);
    case 'iban':
      return maskIban(raw, openAfter ? 0 : 4);
    case 'security_code':
    case 'expiry_date':
      return maskDigits(raw, 0, 0);
  }
}

/** Digits stay visible only at the ends: the first `keepFirst` and the last `keepLast`. */
function maskDigits(raw: string, keepFirst: number, keepLast: number): string {
  const total = countDigits(raw);
  let out = '';
  let seen = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charAt(i);
    if (digitValue(raw.charCodeAt(i)) < 0) {
      out += ch;
      continue;
    }
    out += seen < keepFirst || seen >= total - keepLast ? ch : MASK;
    seen++;
  }
  return out;
}

/** Country code and the last `keepLast` characters visible; spaces kept. */
function maskIban(raw: string, keepLast: number): string {
  let alnum = 0;
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) !== 0x20) alnum++;
  let out = '';
  let seen = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charAt(i);
    if (ch === ' ') {
      out += ch;
      continue;
    }
    out += seen < 2 || seen >= alnum - keepLast ? ch : MASK;
    seen++;
  }
  return out;
}

function countDigits(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) if (digitValue(raw.charCodeAt(i)) >= 0) n++;
  return n;
}

/**
 * Whether a number continues past `edge` in direction `step`: a group separator there, then a
 * digit that the neighbouring finding (which alone can cover it) does not mask.
 */
function continuesInto(
  text: string,
  edge: number,
  step: 1 | -1,
  neighbour: Finding | undefined,
): boolean {
  const digitAt = edge + step;
  if (edge < 0 || digitAt < 0 || digitAt >= text.length) return false;
  if (!isGroupSeparator(text.charCodeAt(edge))) return false;
  if (digitValue(text.charCodeAt(digitAt)) < 0) return false;
  return !(neighbour && neighbour.start <= digitAt && digitAt < neighbour.end);
}
