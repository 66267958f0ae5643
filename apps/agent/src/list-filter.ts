/** Folds case and accents, so "zoe" finds "Zoé" and "muller" finds "Müller". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * What a dialog's search field keeps: the items any of whose texts (name, email…) contains every
 * word typed, in any order. An empty query keeps everything.
 */
export function filterByQuery<T>(
  items: readonly T[],
  query: string,
  texts: (item: T) => ReadonlyArray<string | null | undefined>,
): T[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  return items.filter((item) => {
    const haystack = fold(texts(item).filter(Boolean).join(' '));
    return words.every((word) => haystack.includes(word));
  });
}
