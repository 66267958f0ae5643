import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSensitiveData } from './find-sensitive-data.js';
import { redactSensitiveData } from './redact-sensitive-data.js';
import type { MaskStyle, RedactionPolicy } from './sensitive-data.js';
import { seededRandom } from './testing/seeded-random.js';
import { TEST_BRANDS, formatCard, makeCardNumber } from './testing/test-cards.js';

/** A valid card of a random brand, written with a random separator. */
const cardArb = fc
  .record({
    seed: fc.integer(),
    brand: fc.constantFrom(...TEST_BRANDS),
    separator: fc.constantFrom('', ' ', '-', '.', '\u00a0'),
  })
  .map(({ seed, brand, separator }) => {
    const digits = makeCardNumber(seededRandom(seed), brand);
    return { digits, written: formatCard(digits, separator) };
  });

/** Text around the cards: letters, digits, punctuation, spaces, non-ASCII and emoji. */
const fillerArb = fc.string({
  unit: fc.constantFrom(...'ab Zü é€ 0123456789 .,:;-/+#()\n😀'.split('')),
  maxLength: 30,
});

/**
 * Filler and cards, with boundaries no number continues across (a card followed by " 5" could be a
 * longer number; ", 5" cannot).
 */
const textWithCardsArb = fc
  .array(
    fc.tuple(
      fillerArb,
      fc.constantFrom(': ', '\n', ' (', ', ', ' '),
      cardArb,
      fc.constantFrom(', ', ') ', '\n', '! ', '. '),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .chain((parts) =>
    fillerArb.map((tail) => ({
      text:
        parts
          .map(
            ([filler, before, card, after]) =>
              // A space alone after digits would join them to the card: only after a non-digit.
              `${filler}${before === ' ' && /[0-9]$/.test(filler) ? ': ' : before}${card.written}${after}`,
          )
          .join('') + tail,
      cards: parts.map(([, , card]) => card),
    })),
  );

const policyArb: fc.Arbitrary<RedactionPolicy> = fc.record({
  mask: fc.constantFrom<MaskStyle>('last4', 'first6_last4'),
  detectors: fc.record({ iban: fc.boolean(), ssn: fc.boolean() }),
});

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...'0123456789 -./+4'.split('')), maxLength: 120 }),
);

/** The digits of a text with everything else removed, run by run of separators. */
const digitsOf = (s: string) => s.replace(/[^0-9]/g, '');

describe('card data redaction on random text', () => {
  it('never throws, keeps the length, and changes only digits and letters into stars', () => {
    fc.assert(
      fc.property(anyText, policyArb, (text, policy) => {
        const r = redactSensitiveData(text, policy);
        expect(r.text).toHaveLength(text.length);
        for (let i = 0; i < text.length; i++)
          if (r.text[i] !== text[i]) {
            expect(r.text[i]).toBe('*');
            expect(text[i]).toMatch(/[\p{Nd}A-Za-z]/u);
          }
        const findings = findSensitiveData(text, policy.detectors);
        expect(r.total).toBeGreaterThanOrEqual(findings.length);
        for (const f of findings) expect(r.text.slice(f.start, f.end)).toContain('*');
      }),
      { numRuns: 2_000 },
    );
  });

  it('returns findings in bounds, sorted and not overlapping', () => {
    fc.assert(
      fc.property(anyText, policyArb, (text, policy) => {
        const findings = findSensitiveData(text, policy.detectors);
        let end = 0;
        for (const f of findings) {
          expect(f.start).toBeGreaterThanOrEqual(end);
          expect(f.end).toBeGreaterThan(f.start);
          expect(f.end).toBeLessThanOrEqual(text.length);
          end = f.end;
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('finds every valid card embedded in text, and the output holds neither its digits nor any card', () => {
    fc.assert(
      fc.property(textWithCardsArb, policyArb, ({ text, cards }, policy) => {
        const r = redactSensitiveData(text, policy);
        for (const card of cards) {
          expect(r.text).not.toContain(card.written);
          expect(digitsOf(r.text)).not.toContain(card.digits);
        }
        expect(r.counts.card_number ?? 0).toBeGreaterThanOrEqual(cards.length);
        expect(findSensitiveData(r.text, policy.detectors)).toEqual([]);
      }),
      { numRuns: 3_000 },
    );
  });

  it('leaves nothing to find after redaction, whatever the text', () => {
    fc.assert(
      fc.property(anyText, policyArb, (text, policy) => {
        const once = redactSensitiveData(text, policy);
        const twice = redactSensitiveData(once.text, policy);
        expect(twice.total).toBe(0);
        expect(twice.text).toBe(once.text);
      }),
      { numRuns: 3_000 },
    );
  });

  it('never shows more of a card than its first six and last four digits', () => {
    fc.assert(
      fc.property(textWithCardsArb, policyArb, ({ text }, policy) => {
        const r = redactSensitiveData(text, policy);
        for (const f of findSensitiveData(text, policy.detectors)) {
          if (f.kind !== 'card_number') continue;
          const shown = r.text.slice(f.start, f.end);
          const visible = shown.replace(/[^\p{Nd}]/gu, '').length;
          const total = text.slice(f.start, f.end).replace(/[^\p{Nd}]/gu, '').length;
          expect(visible).toBeLessThanOrEqual(policy.mask === 'first6_last4' ? 10 : 4);
          expect(total - visible).toBeGreaterThanOrEqual(total >= 16 ? 6 : 8);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
