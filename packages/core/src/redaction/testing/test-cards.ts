import { luhnValid } from '../card-number.js';
import type { SeededRandom } from './seeded-random.js';

/** A card brand for test data: the issuer prefixes it uses and the lengths it issues. */
export interface TestBrand {
  readonly name: string;
  readonly prefixes: readonly string[];
  readonly lengths: readonly number[];
}

export const TEST_BRANDS: readonly TestBrand[] = [
  { name: 'Visa', prefixes: ['4'], lengths: [16, 16, 16, 19] },
  { name: 'Mastercard', prefixes: ['51', '52', '53', '54', '55'], lengths: [16] },
  { name: 'Mastercard 2-series', prefixes: ['2221', '2300', '2500', '2720'], lengths: [16] },
  { name: 'American Express', prefixes: ['34', '37'], lengths: [15] },
  { name: 'Discover', prefixes: ['6011', '644', '649', '65'], lengths: [16, 19] },
  { name: 'Diners Club', prefixes: ['36', '38', '300', '305', '3095'], lengths: [14, 16] },
  { name: 'JCB', prefixes: ['3528', '3550', '3589'], lengths: [16, 19] },
  { name: 'UnionPay', prefixes: ['62'], lengths: [16, 17, 18, 19] },
  {
    name: 'Maestro',
    prefixes: ['5018', '5020', '5038', '56', '58', '6304', '6759', '6761'],
    lengths: [12, 13, 15, 16, 19],
  },
  { name: 'Mir', prefixes: ['2200', '2204'], lengths: [16] },
];

/** A Luhn-valid number of the brand (ASCII digits). */
export function makeCardNumber(random: SeededRandom, brand: TestBrand): string {
  const prefix = random.pick(brand.prefixes);
  const length = random.pick(brand.lengths);
  const body = prefix + random.digits(length - prefix.length - 1);
  for (let check = 0; check < 10; check++) {
    const digits = body + String(check);
    if (luhnValid(digits)) return digits;
  }
  throw new Error('unreachable: one check digit always fits');
}

/** The same digits with the check digit changed, so the Luhn check fails. */
export function breakLuhn(digits: string): string {
  const last = Number(digits.slice(-1));
  return digits.slice(0, -1) + String((last + 1 + (last % 3)) % 10);
}

/** Groups as printed on the card: 4-6-5 (15), 4-6-4 (14), otherwise fours. */
export function cardGroups(digits: string): string[] {
  if (digits.length === 15) return [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10)];
  if (digits.length === 14) return [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10)];
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += 4) groups.push(digits.slice(i, i + 4));
  return groups;
}

/** The card written with `separator` between its printed groups ('' for none). */
export function formatCard(digits: string, separator: string): string {
  return separator === '' ? digits : cardGroups(digits).join(separator);
}

/** The same text with 0–9 written as full-width digits (０–９). */
export function fullWidth(text: string): string {
  return text.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
}
