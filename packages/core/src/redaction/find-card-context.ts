import { digitValue, foldDigits } from './decimal-digits.js';
import { isGroupSeparator } from './find-card-numbers.js';
import type { Finding, SensitiveKind } from './sensitive-data.js';
import { insertSorted, overlapsAny } from './sorted-findings.js';

/** How far from a card number (or from card data already found beside it) to look, in characters. */
const WINDOW = 40;
/** How many times the window may grow around what it found (expiry, then code, then …). */
const MAX_HOPS = 3;

const DATE_END = '(?!\\d|[/.\\-]\\d)';
const NOT_AFTER_DIGIT = '(?<![\\d/.\\-])';
const EXPIRY_DATE = `(?:0?[1-9]|1[0-2])\\s?[/\\-.]\\s?(?:20)?\\d{2}`;

/** Expiry keywords in English, German and French. */
const EXPIRY_WORDS = [
  'exp(?:iry|ires|iration)?(?:\\s+date)?',
  'valid(?:\\s+(?:thru|through|until|till|to))?',
  'good\\s+thru',
  'gültig(?:\\s+bis)?',
  'ablauf(?:datum)?',
  'läuft\\s+ab',
  'verfall(?:sdatum)?',
  'date\\s+d.expiration',
  'expire',
  'valable(?:\\s+jusqu.(?:au|à))?',
  'fin\\s+de\\s+validité',
  'date\\s+de\\s+validité',
].join('|');

/** Security-code keywords in English, German and French. */
const CODE_WORDS = [
  'cvv2?',
  'cvc2?',
  'cvn',
  'cid',
  'csc',
  'cav2',
  'security\\s+(?:code|number)',
  'sec\\.?\\s*code',
  'card\\s+verification(?:\\s+(?:code|value|number))?',
  'verification\\s+code',
  'kartenprüf(?:nummer|ziffer)',
  'prüf(?:nummer|ziffer|code)',
  'sicherheits(?:code|nummer)',
  'cryptogramme(?:\\s+visuel)?',
  'code\\s+de\\s+(?:sécurité|vérification|contrôle)',
  'code\\s+au\\s+dos',
].join('|');

interface Pattern {
  readonly kind: SensitiveKind;
  readonly regex: RegExp;
  /** A bare value (no keyword) counts only with nothing but digits and punctuation between it and the card. */
  readonly bare: boolean;
}

// The value is always the last capture group, at the very end of the match.
const PATTERNS: readonly Pattern[] = [
  {
    kind: 'expiry_date',
    regex: new RegExp(
      `(?<![a-z])(?:${EXPIRY_WORDS})\\.?[\\s:=\\-]*(?:(?:is|ist|est|le|am)\\s+)?((?:0?[1-9]|1[0-2])\\s?[/\\-. ]\\s?(?:20)?\\d{2})${DATE_END}`,
      'gi',
    ),
    bare: false,
  },
  {
    kind: 'expiry_date',
    regex: new RegExp(`${NOT_AFTER_DIGIT}(${EXPIRY_DATE})${DATE_END}`, 'g'),
    bare: false,
  },
  {
    kind: 'security_code',
    regex: new RegExp(
      `(?<![a-z])(?:${CODE_WORDS})[^\\d\\n]{0,20}?${NOT_AFTER_DIGIT}(\\d{3,4})${DATE_END}`,
      'gi',
    ),
    bare: false,
  },
  {
    kind: 'security_code',
    regex: /(?<![\d/.,:\-\w])(\d{3,4})(?![\d\w]|[/.,:-]\d)/g,
    bare: true,
  },
];

const LETTER = /\p{L}/u;

/**
 * Security codes (3–4 digits) and expiry dates (MM/YY, MM/YYYY, MM-YY, MM.YY, "exp 12 27") that
 * stand next to a card number: within 40 characters of it, or of card data already found beside
 * it. A security code needs a keyword (CVV, CVC, Prüfnummer, cryptogramme, …) unless only digits
 * and punctuation separate it from the card ("4111 1111 1111 1111 12/27 123"). Dates and numbers
 * elsewhere ("meet at 12/25", "room 123") are not card data.
 */
export function findCardContext(text: string, cards: readonly Finding[]): Finding[] {
  // Sorted by start, not overlapping each other nor the cards.
  const found: Finding[] = [];
  const add = (f: Finding | null) => {
    if (f && !overlapsAny(cards, f.start, f.end) && !overlapsAny(found, f.start, f.end))
      insertSorted(found, f);
  };
  for (const card of cards) {
    add(codeBefore(text, card.start));
    add(codeAfter(text, card.end));
  }
  for (const card of cards) {
    let near = { start: card.start, end: card.end };
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const before = found.length;
      for (const f of scanWindow(text, near)) {
        if (overlapsAny(cards, f.start, f.end) || overlapsAny(found, f.start, f.end)) continue;
        insertSorted(found, f);
        near = { start: Math.min(near.start, f.start), end: Math.max(near.end, f.end) };
      }
      if (found.length === before) break;
    }
  }
  return found;
}

/** Candidates around `near`, in the order of PATTERNS (earlier patterns win overlaps). */
function scanWindow(text: string, near: { start: number; end: number }): Finding[] {
  // Widened to whole words, so a cut never turns 12/2027 into 12/20.
  let lo = Math.max(0, near.start - WINDOW);
  while (lo > 0 && lo > near.start - WINDOW - 24 && !/\s/.test(text.charAt(lo - 1))) lo--;
  let hi = Math.min(text.length, near.end + WINDOW);
  while (hi < text.length && hi < near.end + WINDOW + 24 && !/\s/.test(text.charAt(hi))) hi++;
  const window = foldDigits(text.slice(lo, hi));

  const found: Finding[] = [];
  for (const { kind, regex, bare } of PATTERNS) {
    regex.lastIndex = 0;
    for (let m = regex.exec(window); m !== null; m = regex.exec(window)) {
      const value = m[1] as string;
      const end = lo + m.index + m[0].length;
      const start = end - value.length;
      if (bare) {
        const between =
          start >= near.end ? text.slice(near.end, start) : text.slice(end, near.start);
        if (LETTER.test(between)) continue;
      }
      found.push({ kind, start, end });
    }
  }
  return found;
}

const WORD = /[\p{L}\p{N}_]/u;
const isDigitAt = (text: string, i: number) => digitValue(text.charCodeAt(i)) >= 0;

/**
 * A lone group of 3–4 digits continuing the card's own groups ("6011.3826.0752.7138.904",
 * "4111-1111-1111-1111-123"): its security code, whatever the separator.
 */
function codeAfter(text: string, end: number): Finding | null {
  if (!isGroupSeparator(text.charCodeAt(end))) return null;
  let i = end + 1;
  while (i - end <= 5 && isDigitAt(text, i)) i++;
  const n = i - end - 1;
  if (n < 3 || n > 4 || WORD.test(text.charAt(i))) return null;
  if (isGroupSeparator(text.charCodeAt(i)) && isDigitAt(text, i + 1)) return null;
  return { kind: 'security_code', start: end + 1, end: i };
}

/** The same group standing just before the card ("123-4111-1111-1111-1111"). */
function codeBefore(text: string, start: number): Finding | null {
  if (start < 1 || !isGroupSeparator(text.charCodeAt(start - 1))) return null;
  let i = start - 2;
  while (start - 2 - i <= 4 && i >= 0 && isDigitAt(text, i)) i--;
  const n = start - 2 - i;
  if (n < 3 || n > 4 || (i >= 0 && WORD.test(text.charAt(i)))) return null;
  if (i >= 1 && isGroupSeparator(text.charCodeAt(i)) && isDigitAt(text, i - 1)) return null;
  return { kind: 'security_code', start: i + 1, end: start - 1 };
}
