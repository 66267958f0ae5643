/**
 * Folds text for matching: lower case, accents removed (é → e, ü → u, ß → ss), everything that is
 * not a letter or digit becomes one space. "Öffnungszeiten?" and "offnungszeiten" match.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function wordsOf(text: string): string[] {
  const folded = normalizeText(text);
  return folded === '' ? [] : folded.split(' ');
}

/** Whether `phrase` (folded) occurs in `text` (folded) as whole words. */
export function containsPhrase(text: string, phrase: string): boolean {
  if (phrase === '') return false;
  return ` ${text} `.includes(` ${phrase} `);
}
