import { describe, expect, it } from 'vitest';
import type { BotArticle } from './bot-flow.js';
import { matchArticle, scoreArticle } from './match-article.js';

const returns: BotArticle = {
  id: 'r',
  title: 'Returns and refunds',
  keywords: ['return', 'refund', 'Rücksendung', 'remboursement'],
  body: 'You can send items back within 30 days.',
};
const hours: BotArticle = {
  id: 'h',
  title: 'Opening hours',
  keywords: ['opening hours', 'Öffnungszeiten', 'horaires'],
  body: 'We are here Monday to Friday, 9 to 5.',
};

describe('article matching', () => {
  it('scores a keyword higher than a title word, and a title word higher than a body word', () => {
    expect(scoreArticle(returns, 'refund')).toBe(5);
    expect(scoreArticle(hours, 'friday')).toBe(1);
  });

  it('matches keyword phrases as whole words', () => {
    expect(matchArticle([returns, hours], 'what are your opening hours')).toBe(hours);
  });

  it('folds case and German and French accents', () => {
    expect(matchArticle([returns, hours], 'RUCKSENDUNG moglich?')).toBe(returns);
    expect(matchArticle([returns, hours], 'Quels sont vos HORAIRES ?')).toBe(hours);
  });

  it('matches a word that starts a keyword (refunds, refunded)', () => {
    expect(matchArticle([returns, hours], 'was my order refunded')).toBe(returns);
  });

  it('answers nothing below the minimum score', () => {
    expect(matchArticle([returns, hours], 'send me a cat')).toBeNull();
  });

  it('ignores words that say nothing about the topic', () => {
    expect(scoreArticle(hours, 'what are the')).toBe(0);
  });
});
