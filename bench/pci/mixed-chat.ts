import { CHAT_SENTENCES } from '../../packages/core/src/redaction/testing/chat-sentences.js';
import { buildCorpus } from '../../packages/core/src/redaction/testing/corpus.js';
import { seededRandom } from '../../packages/core/src/redaction/testing/seeded-random.js';

export interface MixedChatOptions {
  /** Total size of the messages, UTF-8 megabytes (10^6 bytes). */
  readonly megabytes: number;
  readonly seed?: number;
}

const SHORT_NUMBERS = [
  'ok, 5 minutes',
  'es kostet 12,99 €',
  'at 14:30 then',
  'rendez-vous à 9h30',
  'I ordered 3 of them',
  'Zimmer 204',
  'Seite 2',
  'about 20 %',
  'the 2nd one',
  'von 8 bis 18 Uhr',
];

/**
 * Chat messages as a contact center receives them, made up from a seed: 1 to 3 everyday
 * sentences (English, German, French, emoji) in 87 messages of 100, a short number ("at 14:30")
 * in 5, a long number that is not a card (phone, order, tracking, URL, date, amount, hash, IBAN)
 * from the test corpus in 7, and card data from the corpus in 1.
 */
export function buildMixedChat(options: MixedChatOptions): string[] {
  const random = seededRandom(options.seed ?? 11);
  const corpus = buildCorpus();
  const negatives = corpus.negatives.filter((t) => /\d/.test(t));
  const positives = corpus.positives.map((p) => p.text);
  const messages: string[] = [];
  const target = options.megabytes * 1_000_000;
  const encoder = new TextEncoder();
  let bytes = 0;
  while (bytes < target) {
    const roll = random.int(100);
    let message: string;
    if (roll < 87) {
      const n = 1 + random.int(3);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(random.pick(CHAT_SENTENCES));
      message = parts.join(' ');
    } else if (roll < 92) message = `${random.pick(CHAT_SENTENCES)} ${random.pick(SHORT_NUMBERS)}`;
    else if (roll < 99) message = random.pick(negatives);
    else message = random.pick(positives);
    messages.push(message);
    bytes += encoder.encode(message).length;
  }
  return messages;
}
