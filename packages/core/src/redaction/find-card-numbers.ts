import { isCardNumber } from './card-number.js';
import { NON_ASCII_DIGIT_CLASS, digitValue } from './decimal-digits.js';
import type { Finding } from './sensitive-data.js';

/** Between the groups of a card number: one space-like, one dash-like or one dot character. */
const SPACES = ' \\u00a0\\u2007\\u2009\\u202f';
const DASHES = '\\-\\u2010\\u2011\\u2012\\u2013\\u2212';
const SEPARATOR = `[${SPACES}${DASHES}.]`;
const SPACE = 0;
const DASH = 1;
const DOT = 2;

/**
 * The pre-scan: digit runs (single separators allowed between digits) holding at least 12 digits,
 * either all ASCII or all of other scripts (full-width, Arabic-Indic, …; a card mixing scripts is
 * not looked for). Text without one is done after this one regular expression. It cannot
 * backtrack badly: separators and digits are disjoint classes, so each step has one way to match.
 */
const CLUSTER = new RegExp(
  `[0-9](?:${SEPARATOR}?[0-9]){11,}|${NON_ASCII_DIGIT_CLASS}(?:${SEPARATOR}?${NON_ASCII_DIGIT_CLASS}){11,}`,
  'g',
);

/** Card lengths, most common first: the first that makes a valid card wins. */
const LENGTH_PREFERENCE = [16, 15, 19, 14, 18, 17, 13, 12];

interface Group {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
}

/**
 * Card numbers in the text, in order. A card is 12–19 digits (see isCardNumber), written without
 * separators or in groups as printed on cards (4-4-4-4, 4-6-5, 4-6-4, or fours ending with a
 * group of 1–4 digits) with one kind of separator (space, dash or dot) throughout. Digits are not
 * read as a card where they are
 * - a phone number: the run follows a `+`;
 * - a URL: the run sits in a whitespace-delimited token containing `://` or starting `www.`;
 * - an identifier: the digits are glued to a letter or `_` (ORD4111111111111111, hex hashes,
 *   UUIDs, 1Z… tracking numbers); "card:4111111111111111" or "#4111…" is a card;
 * - inside a longer number: 20 or more digits in a row, or groups a card would start or end in
 *   the middle of. A card starts a run, or follows another card, a number of 1–3 digits ("CVV 123
 *   4111 …") or a change of separator ("12.05.2024 4111 …"); it stops short of the run's end only
 *   where a printed card ends (4-4-4-4, 4-6-5, 4-6-4), so "4111 1111 1111 1111 123" is a card
 *   and its code, and 5020-7226-5296-6199 is not a 12-digit card and a rest.
 */
export function findCardNumbers(text: string, out: Finding[]): void {
  CLUSTER.lastIndex = 0;
  for (let m = CLUSTER.exec(text); m !== null; m = CLUSTER.exec(text)) {
    scanCluster(text, m.index, m.index + m[0].length, out);
  }
}

function scanCluster(text: string, from: number, to: number, out: Finding[]): void {
  const before = from > 0 ? text.charCodeAt(from - 1) : -1;
  if (before > 0 && !isSpace(before) && inUrl(text, from)) return;
  const noStartAtFirst = before === 0x2b /* + */ || isWordChar(text, from - 1);
  const noEndAtLast = isWordChar(text, to);

  const groups: Group[] = [];
  const separators: number[] = [];
  let digits = '';
  let groupStart = from;
  for (let i = from; i < to; i++) {
    const value = digitValue(text.charCodeAt(i));
    if (value >= 0) {
      digits += String.fromCharCode(48 + value);
      continue;
    }
    groups.push({ start: groupStart, end: i, digits });
    separators.push(separatorKind(text.charCodeAt(i)));
    digits = '';
    groupStart = i + 1;
  }
  groups.push({ start: groupStart, end: to, digits });

  const changesAt = (g: number) => g >= 2 && separators[g - 1] !== separators[g - 2];
  let free = 0;
  for (let s = 0; s < groups.length; s++) {
    const startsHere =
      s === free ||
      // After a short number ("CVV 123 4111 1111 1111 1111"), unless it is glued to a code
      // before it (an IBAN's FR76 3000 6000 …) or to a phone number's +.
      ((groups[s - 1] as Group).digits.length <= 3 && !(s === 1 && noStartAtFirst)) ||
      changesAt(s) ||
      changesAt(s + 1);
    if (!startsHere || (s === 0 && noStartAtFirst)) continue;
    const e = cardEnd(groups, separators, s, noEndAtLast);
    if (e < 0) continue;
    out.push({
      kind: 'card_number',
      start: (groups[s] as Group).start,
      end: (groups[e] as Group).end,
    });
    free = e + 1;
    s = e;
  }
}

/** The last group of a card starting at group `s`, or -1. */
function cardEnd(
  groups: readonly Group[],
  separators: readonly number[],
  s: number,
  noEndAtLast: boolean,
): number {
  // Every layout starts with a group of four, or is one group of 12–19 digits.
  const first = (groups[s] as Group).digits.length;
  if (first !== 4 && (first < 12 || first > 19)) return -1;
  const kind = separators[s];
  const ends: number[] = [];
  const numbers: string[] = [];
  let digits = '';
  for (let e = s; e < groups.length; e++) {
    if (e > s && separators[e - 1] !== kind) break;
    digits += (groups[e] as Group).digits;
    if (digits.length > 19) break;
    if (digits.length >= 12 && !(noEndAtLast && e === groups.length - 1)) {
      ends.push(e);
      numbers.push(digits);
    }
  }
  for (const length of LENGTH_PREFERENCE) {
    const i = numbers.findIndex((n) => n.length === length);
    if (i < 0) continue;
    const e = ends[i] as number;
    const layout = cardLayout(groups, s, e);
    // Cut short of the run only where a printed card ends (4-4-4-4, 4-6-5, 4-6-4), so what
    // follows is something else (an expiry, a code, another card): never 5020-7226-5296|-6199.
    const continues = e + 1 < groups.length && separators[e] === kind;
    if (layout === 'none' || (continues && layout === 'partial')) continue;
    if (isCardNumber(numbers[i] as string)) return e;
  }
  return -1;
}

/**
 * How groups s…e are laid out: 'complete' is one group of 12–19 digits, 4-4-4-4, 4-6-5 or 4-6-4;
 * 'partial' is other fours with a last group of 1–4 digits (4-4-4, 4-4-4-4-3, …); else 'none'.
 */
function cardLayout(
  groups: readonly Group[],
  s: number,
  e: number,
): 'complete' | 'partial' | 'none' {
  if (s === e) return 'complete';
  const length = (g: number) => (groups[g] as Group).digits.length;
  if (length(s) !== 4) return 'none';
  if (e - s === 2 && length(s + 1) === 6)
    return length(e) === 5 || length(e) === 4 ? 'complete' : 'none';
  for (let g = s + 1; g < e; g++) if (length(g) !== 4) return 'none';
  if (e - s < 2 || length(e) > 4) return 'none';
  return e - s === 3 && length(e) === 4 ? 'complete' : 'partial';
}

/** A character that may stand between the groups of a card number. */
export function isGroupSeparator(code: number): boolean {
  return (
    code === 0x2e ||
    code === 0x2d ||
    (code >= 0x2010 && code <= 0x2013) ||
    code === 0x2212 ||
    code === 0x20 ||
    code === 0xa0 ||
    code === 0x2007 ||
    code === 0x2009 ||
    code === 0x202f
  );
}

function separatorKind(code: number): number {
  if (code === 0x2e) return DOT;
  if (code === 0x2d || (code >= 0x2010 && code <= 0x2013) || code === 0x2212) return DASH;
  return SPACE;
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x3000;
}

const LETTER = /[\p{L}\p{M}]/u;

/** A letter (any script) or `_` at this index: digits touching it belong to an identifier. */
function isWordChar(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  if (code < 0x80) {
    const lower = code | 0x20;
    return (lower >= 0x61 && lower <= 0x7a) || code === 0x5f;
  }
  return LETTER.test(text.charAt(index));
}

/** Whether the whitespace-delimited token around `index` (looking back) is a URL. */
function inUrl(text: string, index: number): boolean {
  let i = index - 1;
  const stop = Math.max(0, index - 2048);
  while (i >= stop && !isSpace(text.charCodeAt(i))) i--;
  const token = text.slice(i + 1, index);
  return token.includes('://') || /^[("'<[]?www\./i.test(token);
}
