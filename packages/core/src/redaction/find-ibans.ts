import type { Finding } from './sensitive-data.js';

/** IBAN length per country (SWIFT IBAN registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** Country code and check digits; the rest is walked by hand. */
const IBAN_START = /[A-Za-z]{2}\d{2}/g;

/**
 * IBANs: a country code, two check digits and the country's BBAN, as one token or with single
 * spaces (usually every four characters), upper or lower case; the length must be the country's
 * and the whole must pass the ISO 13616 mod-97 check. Not glued to letters or digits either side.
 */
export function findIbans(text: string, out: Finding[]): void {
  IBAN_START.lastIndex = 0;
  for (let m = IBAN_START.exec(text); m !== null; m = IBAN_START.exec(text)) {
    const start = m.index;
    if (start > 0 && isAlnum(text.charCodeAt(start - 1))) continue;
    const length = IBAN_LENGTHS[m[0].slice(0, 2).toUpperCase()];
    if (length === undefined) continue;
    let iban = m[0].toUpperCase();
    let i = start + 4;
    while (iban.length < length && i < text.length) {
      let code = text.charCodeAt(i);
      if (code === 0x20 && i + 1 < text.length && isAlnum(text.charCodeAt(i + 1))) {
        i++;
        code = text.charCodeAt(i);
      }
      if (!isAlnum(code)) break;
      iban += text.charAt(i).toUpperCase();
      i++;
    }
    if (iban.length !== length || (i < text.length && isAlnum(text.charCodeAt(i)))) continue;
    if (!ibanChecksumValid(iban)) continue;
    out.push({ kind: 'iban', start, end: i });
    IBAN_START.lastIndex = i;
  }
}

/** ISO 13616: the first four characters moved to the end, letters as 10–35, mod 97 is 1. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) rest = (rest * 10 + code - 0x30) % 97;
    else if (code >= 0x41 && code <= 0x5a) rest = (rest * 100 + code - 0x41 + 10) % 97;
    else return false;
  }
  return rest === 1;
}

function isAlnum(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a)
  );
}
