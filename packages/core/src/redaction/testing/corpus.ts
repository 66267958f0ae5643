import { findSensitiveData } from '../find-sensitive-data.js';
import type { DetectorOptions, Finding } from '../sensitive-data.js';
import { generatedNegatives } from './negative-cases.js';
import { HANDWRITTEN_POSITIVES, generatedPositives, type PositiveCase } from './positive-cases.js';
import { seededRandom } from './seeded-random.js';

export type { PositiveCase } from './positive-cases.js';

/** Texts with card data (what must be found) and texts without (nothing may be found). */
export interface Corpus {
  readonly positives: readonly PositiveCase[];
  readonly negatives: readonly string[];
}

/** The corpus: hand-written cases plus cases made up from a seed (the same on every run). */
export function buildCorpus(seed = 5): Corpus {
  const random = seededRandom(seed);
  return {
    positives: [...HANDWRITTEN_POSITIVES, ...generatedPositives(random, 300)],
    negatives: generatedNegatives(random),
  };
}

export interface CorpusScore {
  /** Expected items found ÷ expected items, over the positives (see scoreCorpus). */
  readonly recall: number;
  /** Found items that overlap an expected one ÷ found items, over positives and negatives. */
  readonly precision: number;
  /** Negatives with anything found ÷ negatives. */
  readonly false_positive_rate: number;
  readonly positives: number;
  readonly negatives: number;
  /** The texts behind a recall below 1 or a false positive, to look at. */
  readonly missed: readonly string[];
  readonly falsePositives: readonly string[];
}

/**
 * Runs findSensitiveData (default detectors unless told) over the corpus. An expected item is
 * found when a finding of its kind overlaps it and every digit of it lies inside some finding
 * (so it would be masked): "4111 1111 1111 1111 123" read as a 16-digit card and a security code
 * finds a 19-digit card just as well, since no reader could tell the two apart.
 */
export function scoreCorpus(corpus: Corpus, detectors: DetectorOptions = {}): CorpusScore {
  let expectedItems = 0;
  let foundExpected = 0;
  let foundItems = 0;
  let foundUseful = 0;
  const missed: string[] = [];
  for (const { text, expected } of corpus.positives) {
    const findings = findSensitiveData(text, detectors);
    const spans = expected.map((e) => locate(text, e.value, expected));
    let all = true;
    expected.forEach((e, i) => {
      const span = spans[i] as { start: number; end: number };
      const overlaps = (f: Finding) => f.start < span.end && span.start < f.end;
      const covered = [...text.slice(span.start, span.end)].every(
        (ch, k) =>
          !/\p{Nd}/u.test(ch) ||
          findings.some((f) => f.start <= span.start + k && span.start + k < f.end),
      );
      if (covered && findings.some((f) => f.kind === e.kind && overlaps(f))) foundExpected++;
      else all = false;
    });
    expectedItems += expected.length;
    foundItems += findings.length;
    foundUseful += findings.filter((f) =>
      spans.some((span) => f.start < span.end && span.start < f.end),
    ).length;
    if (!all) missed.push(text);
  }
  const falsePositives: string[] = [];
  for (const text of corpus.negatives) {
    const found = findSensitiveData(text, detectors);
    foundItems += found.length;
    if (found.length > 0) falsePositives.push(text);
  }
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    recall: round(expectedItems === 0 ? 1 : foundExpected / expectedItems),
    precision: round(foundItems === 0 ? 1 : foundUseful / foundItems),
    false_positive_rate: round(falsePositives.length / Math.max(1, corpus.negatives.length)),
    positives: corpus.positives.length,
    negatives: corpus.negatives.length,
    missed,
    falsePositives,
  };
}

/**
 * Where an expected value stands in its text: its first occurrence not inside an earlier expected
 * value (a code "123" may also appear inside the card).
 */
function locate(
  text: string,
  value: string,
  expected: PositiveCase['expected'],
): { start: number; end: number } {
  const longer = expected.filter((e) => e.value.length > value.length && e.value.includes(value));
  let from = 0;
  for (;;) {
    const start = text.indexOf(value, from);
    if (start < 0) return { start: 0, end: 0 };
    const inside = longer.some((e) => {
      const at = text.indexOf(e.value);
      return at >= 0 && at <= start && start + value.length <= at + e.value.length;
    });
    if (!inside && isWhole(text, start, start + value.length))
      return { start, end: start + value.length };
    from = start + 1;
  }
}

/** Not part of a longer number. */
function isWhole(text: string, start: number, end: number): boolean {
  return !/\p{Nd}/u.test(text.charAt(start - 1)) && !/\p{Nd}/u.test(text.charAt(end));
}
