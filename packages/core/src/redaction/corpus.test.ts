import { describe, expect, it } from 'vitest';
import { buildCorpus, scoreCorpus } from './testing/corpus.js';

describe('the card data corpus', () => {
  const corpus = buildCorpus();
  const score = scoreCorpus(corpus);

  it('holds at least 200 positives and 1,000 negatives', () => {
    expect(corpus.positives.length).toBeGreaterThanOrEqual(200);
    expect(corpus.negatives.length).toBeGreaterThanOrEqual(1_000);
  });

  it('finds all card data in the positives (recall 100%)', () => {
    const { recall, precision, false_positive_rate, positives, negatives } = score;
    console.log(JSON.stringify({ recall, precision, false_positive_rate, positives, negatives }));
    expect(score.missed).toEqual([]);
    expect(recall).toBe(1);
  });

  it('finds something in at most 1% of the negatives', () => {
    expect(score.false_positive_rate).toBeLessThanOrEqual(0.01);
  });
});
