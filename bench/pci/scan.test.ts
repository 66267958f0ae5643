import { describe, expect, it } from 'vitest';
import { buildMixedChat } from './mixed-chat.js';
import { measureScan } from './scan.js';

describe('the pci benchmark', () => {
  it('makes mostly digit-free chat with some card data in it', () => {
    const messages = buildMixedChat({ megabytes: 0.5 });
    const withDigits = messages.filter((m) => /\d/.test(m)).length;
    expect(withDigits / messages.length).toBeGreaterThan(0.05);
    expect(withDigits / messages.length).toBeLessThan(0.3);
  });

  it('times the scanner and the baseline over the same messages and masks the card data', () => {
    const metrics = measureScan({ megabytes: 0.5, rounds: 1, log: () => {} });
    expect(metrics.scan_mb).toBeCloseTo(0.5, 0);
    expect(metrics.scan_mb_per_s).toBeGreaterThan(0);
    expect(metrics.scan_baseline_mb_per_s).toBeGreaterThan(0);
    expect(metrics.scan_items_masked).toBeGreaterThan(0);
  });
});
