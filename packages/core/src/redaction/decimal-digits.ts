/**
 * Decimal digits of every script in the Basic Multilingual Plane (Unicode Nd), not only 0–9: a
 * card number typed with full-width (４１１１…) or Arabic-Indic (٤١١١…) digits is still a card
 * number. Each entry is the code point of a script's zero; its digits are the next ten code
 * points. Digits outside the BMP (mathematical 𝟒, …) are not recognised.
 */
const DIGIT_ZEROS: readonly number[] = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6,
  0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50,
  0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
];

const hex4 = (code: number) => code.toString(16).padStart(4, '0');

/**
 * A regular-expression character class (source) matching these digits except 0–9: scanning for
 * ASCII digits and for these apart is much faster than for both in one class.
 */
export const NON_ASCII_DIGIT_CLASS = `[${DIGIT_ZEROS.slice(1)
  .map((z) => `\\u${hex4(z)}-\\u${hex4(z + 9)}`)
  .join('')}]`;

/** The value (0–9) of the decimal digit at this UTF-16 code unit, or -1. */
export function digitValue(code: number): number {
  if (code <= 0x39) return code >= 0x30 ? code - 0x30 : -1;
  if (code < 0x660) return -1;
  let lo = 1;
  let hi = DIGIT_ZEROS.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const zero = DIGIT_ZEROS[mid] as number;
    if (code < zero) hi = mid - 1;
    else if (code > zero + 9) lo = mid + 1;
    else return code - zero;
  }
  return -1;
}

/**
 * The text with every decimal digit replaced by its ASCII digit. Each digit is one UTF-16 code
 * unit either way, so indexes into the result are indexes into the text.
 */
export function foldDigits(text: string): string {
  let out = '';
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x660) continue;
    const value = digitValue(code);
    if (value < 0) continue;
    out += text.slice(at, i) + String.fromCharCode(0x30 + value);
    at = i + 1;
  }
  return at === 0 ? text : out + text.slice(at);
}
