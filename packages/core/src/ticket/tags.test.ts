import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/build.js';
import { normalizeTags } from './tags.js';

describe('normalizeTags', () => {
  it('trims and lower-cases tags so VIP and vip are the same tag', () => {
    expect(normalizeTags(['  VIP ', 'Billing'])).toEqual(['vip', 'billing']);
  });

  it('keeps each tag once, in the order first given', () => {
    expect(normalizeTags(['refund', 'vip', 'REFUND', 'Vip'])).toEqual(['refund', 'vip']);
  });

  it('accepts letters in any script, digits, and _ - : .', () => {
    expect(normalizeTags(['größe', 'tier_2', 'follow-up', 'region:eu', 'v1.2'])).toEqual([
      'größe',
      'tier_2',
      'follow-up',
      'region:eu',
      'v1.2',
    ]);
  });

  it('refuses a tag with a space inside', () => {
    const error = thrown(() => normalizeTags(['needs review']));
    expect(error.code).toBe('validation/invalid');
    expect(error.field).toBe('tags');
  });

  it('refuses an empty tag', () => {
    expect(thrown(() => normalizeTags(['   '])).code).toBe('validation/invalid');
  });

  it('refuses a tag longer than 64 characters', () => {
    expect(normalizeTags(['a'.repeat(64)])).toEqual(['a'.repeat(64)]);
    expect(thrown(() => normalizeTags(['a'.repeat(65)])).code).toBe('validation/invalid');
  });

  it('refuses a tag with other punctuation', () => {
    expect(thrown(() => normalizeTags(['urgent!'])).code).toBe('validation/invalid');
  });

  it('allows at most 100 distinct tags', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => `t${i}`);
    expect(normalizeTags(hundred)).toHaveLength(100);
    expect(thrown(() => normalizeTags([...hundred, 't100'])).code).toBe('validation/invalid');
  });

  it('counts duplicates once toward the limit', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => `t${i}`);
    expect(normalizeTags([...hundred, 'T0', 't99'])).toHaveLength(100);
  });

  it('names the field it was given in its error', () => {
    expect(thrown(() => normalizeTags(['bad tag'], 'addTags')).field).toBe('addTags');
  });
});
