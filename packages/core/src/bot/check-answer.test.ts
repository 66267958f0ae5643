import { describe, expect, it } from 'vitest';
import { checkAnswer, checkOf } from './check-answer.js';
import { wantsPerson } from './wants-person.js';

describe('collected answers', () => {
  it('accepts an email address and lower-cases it', () => {
    expect(checkAnswer(' Ana@Example.COM ', 'email')).toBe('ana@example.com');
  });

  it('refuses what is not an email address', () => {
    for (const bad of ['ana', 'ana@', 'ana@example', 'a b@example.com', '@example.com'])
      expect(checkAnswer(bad, 'email'), bad).toBeNull();
  });

  it('accepts names with accents and refuses an email address at the name prompt', () => {
    expect(checkAnswer('Zoë Lefèvre', 'name')).toBe('Zoë Lefèvre');
    expect(checkAnswer('zoe@example.com', 'name')).toBeNull();
  });

  it('accepts phone numbers of 6 to 20 digits', () => {
    expect(checkAnswer('+49 30 1234567', 'phone')).toBe('+49 30 1234567');
    expect(checkAnswer('call me', 'phone')).toBeNull();
  });

  it('checks a field named email as an email unless the node says otherwise', () => {
    expect(checkOf('email', undefined)).toBe('email');
    expect(checkOf('order_number', undefined)).toBe('text');
  });
});

describe('asking for a person', () => {
  it('recognises whole words only ("agent" but not "agenda")', () => {
    expect(wantsPerson('Agent!')).toBe(true);
    expect(wantsPerson('I need a person')).toBe(true);
    expect(wantsPerson('what is on the agenda')).toBe(false);
  });
});
