import type { Benchmark, BenchmarkOptions, Metrics } from '../benchmark.js';
import { measureCorpus } from './corpus-score.js';
import { measureScan } from './scan.js';

/**
 * pci: the PCI DSS scanner (redactSensitiveData) over a mixed chat text, one core, beside a
 * trivial regex scan; and its recall and false-positive rate on the test corpus.
 */
export const pci: Benchmark = {
  async run({ quick, args, log }: BenchmarkOptions): Promise<Metrics> {
    if (args.length > 0) throw new Error(`pci: unknown options ${args.join(' ')}`);
    const scan = measureScan({ megabytes: quick ? 8 : 32, rounds: quick ? 3 : 7, log });
    const corpus = measureCorpus(log);
    return { ...scan, ...corpus };
  },
};
