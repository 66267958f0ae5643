import { buildCorpus, scoreCorpus } from '../../packages/core/src/redaction/testing/corpus.js';

export interface CorpusMetrics {
  /** Card data found in the test corpus's positives (packages/core/src/redaction/testing). */
  readonly recall: number;
  /** Negatives of the same corpus in which anything was found. */
  readonly false_positive_rate: number;
  readonly precision: number;
  readonly corpus_positives: number;
  readonly corpus_negatives: number;
}

/** The detector's score on the corpus the tests use (default detectors). */
export function measureCorpus(log: (line: string) => void): CorpusMetrics {
  const score = scoreCorpus(buildCorpus());
  log(
    `pci corpus: recall ${score.recall} on ${score.positives} positives, false positives ${score.falsePositives.length} of ${score.negatives} negatives`,
  );
  return {
    recall: score.recall,
    false_positive_rate: score.false_positive_rate,
    precision: score.precision,
    corpus_positives: score.positives,
    corpus_negatives: score.negatives,
  };
}
