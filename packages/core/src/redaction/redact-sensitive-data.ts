import { findSensitiveData } from './find-sensitive-data.js';
import type { Redaction, RedactionPolicy, SensitiveKind } from './sensitive-data.js';

// PROVISIONAL implementation (helper A replaces it).
export function redactSensitiveData(text: string, policy: RedactionPolicy = {}): Redaction {
  const findings = findSensitiveData(text, policy.detectors);
  if (findings.length === 0) return { text, counts: {}, total: 0 };
  const counts: Partial<Record<SensitiveKind, number>> = {};
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start);
    const digits = text.slice(f.start, f.end).replace(/\D/g, '');
    out += '*'.repeat(digits.length - 4) + digits.slice(-4);
    at = f.end;
    counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  }
  out += text.slice(at);
  return { text: out, counts, total: findings.length };
}
