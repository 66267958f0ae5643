import type { Finding } from './sensitive-data.js';

/*
 * Findings kept sorted by start and never overlapping (so their ends are sorted too): overlap
 * checks and merges stay logarithmic or linear even for a megabyte of card numbers.
 */

/** The index of the first finding ending after `at`. */
function firstEndingAfter(sorted: readonly Finding[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as Finding).end > at) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Whether [start, end) overlaps any of the sorted findings. */
export function overlapsAny(sorted: readonly Finding[], start: number, end: number): boolean {
  const i = firstEndingAfter(sorted, start);
  return i < sorted.length && (sorted[i] as Finding).start < end;
}

/** Inserts a finding that overlaps none of them, keeping the order. */
export function insertSorted(sorted: Finding[], finding: Finding): void {
  let i = sorted.length;
  while (i > 0 && (sorted[i - 1] as Finding).start > finding.start) i--;
  sorted.splice(i, 0, finding);
}

/**
 * `kept` (sorted, not overlapping) with those of `extra` (sorted by start) that overlap nothing
 * kept and no earlier extra.
 */
export function mergeFindings(kept: readonly Finding[], extra: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  let i = 0;
  for (const e of extra) {
    while (i < kept.length && (kept[i] as Finding).start < e.start) out.push(kept[i++] as Finding);
    const last = out[out.length - 1];
    if (last && last.end > e.start) continue;
    if (i < kept.length && (kept[i] as Finding).start < e.end) continue;
    out.push(e);
  }
  while (i < kept.length) out.push(kept[i++] as Finding);
  return out;
}

export const byStart = (a: Finding, b: Finding) => a.start - b.start;
