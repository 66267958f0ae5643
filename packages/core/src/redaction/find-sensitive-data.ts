import type { DetectorOptions, Finding } from './sensitive-data.js';

// PROVISIONAL implementation (helper A replaces it): Luhn-valid runs of 12–19 digits.
export function findSensitiveData(text: string, _detectors: DetectorOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const re = /\d(?:[ .-]?\d){11,18}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const digits = m[0].replace(/\D/g, '');
    if (luhnValid(digits))
      findings.push({ kind: 'card_number', start: m.index, end: m.index + m[0].length });
  }
  return findings;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
