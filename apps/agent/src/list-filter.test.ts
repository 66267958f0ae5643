import { describe, expect, it } from 'vitest';
import { filterByQuery } from './list-filter.js';

const agents = [
  { name: 'Alex Agent', email: 'alex@parlour.example' },
  { name: 'Sam Agent', email: 'sam@parlour.example' },
  { name: 'Zoé Müller', email: null },
];
const names = (list: typeof agents) => list.map((a) => a.name);
const texts = (a: (typeof agents)[number]) => [a.name, a.email];

describe('filterByQuery', () => {
  it('keeps everything for an empty or blank query', () => {
    expect(names(filterByQuery(agents, '', texts))).toEqual(names(agents));
    expect(names(filterByQuery(agents, '   ', texts))).toEqual(names(agents));
  });

  it('matches any of the texts, ignoring case', () => {
    expect(names(filterByQuery(agents, 'SAM', texts))).toEqual(['Sam Agent']);
    expect(names(filterByQuery(agents, 'alex@', texts))).toEqual(['Alex Agent']);
  });

  it('needs every word, in any order, and ignores accents', () => {
    expect(names(filterByQuery(agents, 'agent alex', texts))).toEqual(['Alex Agent']);
    expect(names(filterByQuery(agents, 'zoe muller', texts))).toEqual(['Zoé Müller']);
    expect(names(filterByQuery(agents, 'agent nobody', texts))).toEqual([]);
  });
});
