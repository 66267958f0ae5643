import type { BotArticle } from './bot-flow.js';
import { containsPhrase, normalizeText, wordsOf } from './normalize-text.js';

/** Words that say nothing about the topic (English, German, French; folded). */
const STOP_WORDS = new Set([
  'the',
  'and',
  'for',
  'you',
  'your',
  'are',
  'how',
  'what',
  'when',
  'where',
  'can',
  'does',
  'with',
  'this',
  'that',
  'have',
  'from',
  'about',
  'there',
  'please',
  'hello',
  'thanks',
  'want',
  'need',
  'der',
  'die',
  'das',
  'und',
  'ist',
  'ich',
  'sie',
  'wie',
  'was',
  'wann',
  'mein',
  'meine',
  'ein',
  'eine',
  'mit',
  'fur',
  'bitte',
  'hallo',
  'habe',
  'kann',
  'les',
  'des',
  'une',
  'est',
  'pour',
  'que',
  'qui',
  'quand',
  'comment',
  'mon',
  'mes',
  'avec',
  'bonjour',
  'merci',
  'vous',
  'est',
]);

const KEYWORD_POINTS = 3;
const TITLE_POINTS = 2;
const BODY_POINTS = 1;
/** Less than a keyword's worth, or a title word and a body word, is not an answer. */
export const MIN_ARTICLE_SCORE = 3;

/** Two words match when equal, or when one starts the other and they share 4+ letters ("ship" / "shipping"). */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}

function topicWords(text: string): string[] {
  return [...new Set(wordsOf(text).filter((w) => w.length >= 3 && !STOP_WORDS.has(w)))];
}

/**
 * How well an article answers the customer's words: 3 points per keyword found in them (a
 * keyword may be a phrase; the whole title counts as one), 2 per word shared with the title, 1
 * per word shared with the body.
 * Case and accents do not matter.
 */
export function scoreArticle(article: BotArticle, text: string): number {
  const folded = normalizeText(text);
  const words = topicWords(text);
  if (words.length === 0) return 0;
  let score = 0;
  for (const keyword of article.keywords) {
    const k = normalizeText(keyword);
    if (k === '') continue;
    if (k.includes(' ')) {
      if (containsPhrase(folded, k)) score += KEYWORD_POINTS;
    } else if (words.some((w) => sameWord(w, k))) score += KEYWORD_POINTS;
  }
  // The whole title in the customer's words counts as a keyword ("Öffnungszeiten?").
  if (containsPhrase(folded, normalizeText(article.title))) score += KEYWORD_POINTS;
  const title = topicWords(article.title);
  const body = topicWords(article.body);
  for (const w of words) {
    if (title.some((t) => sameWord(t, w))) score += TITLE_POINTS;
    else if (body.some((b) => sameWord(b, w))) score += BODY_POINTS;
  }
  return score;
}

/** The best-scoring article at or above MIN_ARTICLE_SCORE (the first listed wins a tie), or null. */
export function matchArticle(articles: readonly BotArticle[], text: string): BotArticle | null {
  let best: BotArticle | null = null;
  let bestScore = MIN_ARTICLE_SCORE - 1;
  for (const article of articles) {
    const score = scoreArticle(article, text);
    if (score > bestScore) {
      best = article;
      bestScore = score;
    }
  }
  return best;
}
