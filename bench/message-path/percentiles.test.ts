import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './percentiles.js';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(sorted, 0.5)).toBe(1);
  });

  it('reads small sets without interpolating', () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 100)).toBe(7);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 51)).toBe(3);
  });

  it('is NaN for no samples and refuses percentiles outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts numerically without changing the samples', () => {
    const samples = [10, 9, 100, 2, 1, 30, 5, 4, 3, 8];
    const copy = [...samples];
    expect(summarize(samples)).toEqual({ count: 10, p50: 5, p99: 100, p999: 100, max: 100 });
    expect(samples).toEqual(copy);
  });

  it('takes the tail from 1,000 samples', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    const s = summarize(samples);
    expect([s.p50, s.p99, s.p999, s.max]).toEqual([500, 990, 999, 1000]);
  });
});
