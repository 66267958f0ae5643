import { redactSensitiveData } from '@parlour/core';
import { buildMixedChat } from './mixed-chat.js';

export interface ScanOptions {
  /** Size of the mixed chat text, UTF-8 megabytes. */
  readonly megabytes: number;
  /** Timed passes over the whole text, each for the scanner and the baseline; the fastest counts. */
  readonly rounds: number;
  readonly log: (line: string) => void;
  /** Messages to use instead of buildMixedChat's. */
  readonly messages?: readonly string[];
}

export interface ScanMetrics {
  /** redactSensitiveData (default policy) over every message, one core, MB/s of UTF-8 text. */
  readonly scan_mb_per_s: number;
  /** The same messages through a trivial scan, `/\d{12,}/.test(message)`, same run. */
  readonly scan_baseline_mb_per_s: number;
  /** The text scanned: messages and megabytes. */
  readonly scan_messages: number;
  readonly scan_mb: number;
  /** Items masked per pass (a check that the scanner did its work). */
  readonly scan_items_masked: number;
}

const BASELINE = /\d{12,}/;

/**
 * Times redactSensitiveData message by message over a mixed chat text (buildMixedChat), on the
 * calling thread, beside the baseline: the rounds alternate scanner and baseline, and the fastest
 * round of each counts (the work is pure; a slower round is the machine, not the code).
 */
export function measureScan(options: ScanOptions): ScanMetrics {
  const messages = options.messages ?? buildMixedChat({ megabytes: options.megabytes });
  const encoder = new TextEncoder();
  let bytes = 0;
  for (const m of messages) bytes += encoder.encode(m).length;
  const mb = bytes / 1_000_000;
  options.log(`pci scan: ${messages.length} messages, ${mb.toFixed(1)} MB`);

  let masked = 0;
  let baselineHits = 0;
  let best = Infinity;
  let bestBaseline = Infinity;
  for (let round = 0; round < options.rounds; round++) {
    let started = performance.now();
    masked = 0;
    for (const m of messages) masked += redactSensitiveData(m).total;
    const scanMs = performance.now() - started;
    best = Math.min(best, scanMs);

    started = performance.now();
    baselineHits = 0;
    for (const m of messages) if (BASELINE.test(m)) baselineHits++;
    const baselineMs = performance.now() - started;
    bestBaseline = Math.min(bestBaseline, baselineMs);
    options.log(
      `pci scan: round ${round + 1}: redact ${(mb / (scanMs / 1000)).toFixed(0)} MB/s (${masked} items masked), baseline ${(mb / (baselineMs / 1000)).toFixed(0)} MB/s (${baselineHits} messages with 12+ digits in a row)`,
    );
  }
  const rate = (ms: number) => Math.round((mb / (ms / 1000)) * 10) / 10;
  return {
    scan_mb_per_s: rate(best),
    scan_baseline_mb_per_s: rate(bestBaseline),
    scan_messages: messages.length,
    scan_mb: Math.round(mb * 10) / 10,
    scan_items_masked: masked,
  };
}
