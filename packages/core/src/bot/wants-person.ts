import { containsPhrase, normalizeText } from './normalize-text.js';

/** What customers type when they want a human, in English, German and French (folded). */
const PERSON_PHRASES: readonly string[] = [
  // English
  'talk to a person',
  'talk to a human',
  'talk to someone',
  'speak to a person',
  'speak to someone',
  'speak with a person',
  'real person',
  'need a person',
  'want a person',
  'customer service',
  'human',
  'agent',
  'operator',
  'representative',
  'live chat',
  // German
  'mitarbeiter',
  'mitarbeiterin',
  'mensch',
  'menschen',
  'berater',
  'beraterin',
  'person sprechen',
  'kundenberater',
  // French
  'humain',
  'une personne',
  'conseiller',
  'conseillere',
  'parler a quelqu un',
  'un agent',
];

/** True when the customer's words ask for a person ("agent", "Mitarbeiter", "un humain" …). */
export function wantsPerson(text: string): boolean {
  const folded = normalizeText(text);
  return PERSON_PHRASES.some((phrase) => containsPhrase(folded, phrase));
}
