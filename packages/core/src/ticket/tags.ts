import { DomainError } from '../errors.js';

const TAG = /^[\p{L}\p{N}_\-:.]{1,64}$/u;

/** Tags are case-insensitive words: trimmed, lower-cased, de-duplicated, no spaces. */
export function normalizeTags(tags: readonly string[], field = 'tags'): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim().toLowerCase();
    if (!TAG.test(tag)) {
      throw new DomainError(
        'validation/invalid',
        `Tag "${raw}" must be 1-64 letters, digits, _ - : or . (no spaces)`,
        field,
      );
    }
    if (!out.includes(tag)) out.push(tag);
  }
  if (out.length > 100)
    throw new DomainError('validation/invalid', 'A ticket carries at most 100 tags', field);
  return out;
}
