import type { Benchmark, BenchmarkOptions, Metrics } from '../benchmark.js';
import { measureCorpus } from './corpus-score.js';
import { buildMixedChat } from './mixed-chat.js';
import { measureMessagePathOverhead } from './message-path-overhead.js';
import { measureScan } from './scan.js';

/**
 * pci: the message path with and without the card-data scan (PostgreSQL); the PCI DSS scanner (redactSensitiveData) over a mixed chat text, one core, beside a
 * trivial regex scan; and its recall and false-positive rate on the test corpus.
 */
export const pci: Benchmark = {
  async run({ quick, args, log }: BenchmarkOptions): Promise<Metrics> {
    if (args.length > 0) throw new Error(`pci: unknown options ${args.join(' ')}`);
    const scan = measureScan({ megabytes: quick ? 8 : 32, rounds: quick ? 3 : 7, log });
    const corpus = measureCorpus(log);
    const overhead = await measureMessagePathOverhead({
      messages: buildMixedChat({ megabytes: 1 }),
      perRound: quick ? 2_000 : 5_000,
      rounds: quick ? 2 : 4,
      log,
    });
    return { ...scan, ...corpus, ...overhead };
  },
};
