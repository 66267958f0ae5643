import { findCardContext } from './find-card-context.js';
import { findCardNumbers } from './find-card-numbers.js';
import { findIbans } from './find-ibans.js';
import { findSsns } from './find-ssns.js';
import type { DetectorOptions, Finding } from './sensitive-data.js';
import { byStart, mergeFindings } from './sorted-findings.js';

/**
 * The sensitive data in a text, sorted by start, never overlapping: card numbers always, with the
 * security codes and expiry dates next to them; IBANs and US SSNs when asked for. Indexes are
 * UTF-16 code units of `text`. Pure and total: any string in, never a throw.
 */
export function findSensitiveData(text: string, detectors: DetectorOptions = {}): Finding[] {
  const cards: Finding[] = [];
  findCardNumbers(text, cards);
  let findings = cards;
  if (cards.length > 0) findings = mergeFindings(findings, findCardContext(text, cards));
  if (detectors.iban === true) {
    const ibans: Finding[] = [];
    findIbans(text, ibans);
    if (ibans.length > 0) findings = mergeFindings(findings, ibans);
  }
  if (detectors.ssn === true) {
    const ssns: Finding[] = [];
    findSsns(text, ssns);
    if (ssns.length > 0) findings = mergeFindings(findings, ssns.sort(byStart));
  }
  return findings;
}

/** Whether the text holds any sensitive data (the same detectors as findSensitiveData). */
export function containsSensitiveData(text: string, detectors: DetectorOptions = {}): boolean {
  return findSensitiveData(text, detectors).length > 0;
}
