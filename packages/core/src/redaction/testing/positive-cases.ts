import type { SensitiveKind } from '../sensitive-data.js';
import { CHAT_SENTENCES } from './chat-sentences.js';
import type { SeededRandom } from './seeded-random.js';
import { TEST_BRANDS, formatCard, fullWidth, makeCardNumber } from './test-cards.js';

/** A text with card data, and exactly what a detector must find in it. */
export interface PositiveCase {
  readonly text: string;
  readonly expected: readonly { readonly kind: SensitiveKind; readonly value: string }[];
}

/**
 * Where card data turns up in chats: `{card}` (and `{card2}`), the expiry `{exp}` and the
 * security code `{cvv}`, in English, German and French, at the start or end of the text, next to
 * punctuation and emoji.
 */
const TEMPLATES: readonly string[] = [
  '{card}',
  'My card number is {card}',
  'my card is {card} exp {exp} cvv {cvv}',
  'Hi, can you charge {card}? Expiry {exp}, CVV {cvv}. Thanks!',
  'card:{card}',
  '({card})',
  '"{card}"',
  '{card}.',
  '{card}, {exp}, {cvv}',
  '{card} {exp} {cvv}',
  'Visa: {card}',
  'pls use {card} exp {exp}',
  'CVV {cvv} for the card {card}',
  'Card {card}\nexp: {exp}\ncvc: {cvv}',
  'use this one instead {card}!!!',
  '💳{card}',
  '#{card}',
  'card={card}&exp={exp}',
  'first card {card} and the second one {card2}',
  'Kartennummer: {card}, gültig bis {exp}, Prüfnummer {cvv}',
  'Meine Kreditkarte ist die {card} 😊',
  'Grüß Gott! Über die Hotline wurde mir gesagt, ich soll die Nummer hier schicken: {card}',
  'Zahlung bitte über {card}. Ablaufdatum {exp}',
  'Kreditkarte {card} Sicherheitscode {cvv}',
  'Hier die Daten: {card} / {exp} / {cvv}',
  'Voici ma carte : {card}, date d’expiration {exp}, cryptogramme {cvv}.',
  'Numéro de carte {card} – expire le {exp}',
  'Je paye avec la carte n°{card}',
  'carte bancaire {card} code de sécurité {cvv}',
  'Bonjour, ma carte {card} a été refusée 😕',
];

const SEPARATORS = ['', ' ', '-', '.', '\u00a0'];
const EXPIRY_FORMATS = [
  (m: string, y: string) => `${m}/${y}`,
  (m: string, y: string) => `${m}/20${y}`,
  (m: string, y: string) => `${m}-${y}`,
  (m: string, y: string) => `${m}.${y}`,
];

/** `count` generated cases: brands, separators and templates in turn, plus full-width digits. */
export function generatedPositives(random: SeededRandom, count: number): PositiveCase[] {
  const cases: PositiveCase[] = [];
  for (let i = 0; i < count; i++) {
    const brand = TEST_BRANDS[i % TEST_BRANDS.length] as (typeof TEST_BRANDS)[number];
    const separator = SEPARATORS[Math.floor(i / TEST_BRANDS.length) % SEPARATORS.length] as string;
    const template = TEMPLATES[(i * 7 + Math.floor(i / 3)) % TEMPLATES.length] as string;
    const digits = makeCardNumber(random, brand);
    const card = formatCard(digits, separator);
    const card2 = formatCard(makeCardNumber(random, random.pick(TEST_BRANDS)), separator);
    const month = String(1 + random.int(12)).padStart(2, '0');
    const exp = random.pick(EXPIRY_FORMATS)(month, String(25 + random.int(10)));
    const cvv = random.digits(brand.name === 'American Express' ? 4 : 3);
    let text = template
      .replace('{card}', card)
      .replace('{card2}', card2)
      .replace('{exp}', exp)
      .replace('{cvv}', cvv);
    if (i % 4 === 1) text = `${random.pick(CHAT_SENTENCES)} ${text}`;
    if (i % 4 === 2) text = `${text} ${random.pick(CHAT_SENTENCES)}`;
    const wide = i % 25 === 24;
    const expected: { kind: SensitiveKind; value: string }[] = [
      { kind: 'card_number', value: card },
    ];
    if (template.includes('{card2}')) expected.push({ kind: 'card_number', value: card2 });
    if (template.includes('{exp}')) expected.push({ kind: 'expiry_date', value: exp });
    if (template.includes('{cvv}')) expected.push({ kind: 'security_code', value: cvv });
    cases.push(
      wide
        ? {
            text: fullWidth(text),
            expected: expected.map((e) => ({ kind: e.kind, value: fullWidth(e.value) })),
          }
        : { text, expected },
    );
  }
  return cases;
}

const card = (value: string): PositiveCase['expected'][number] => ({ kind: 'card_number', value });

/** Well-known test numbers and awkward spots, written by hand. */
export const HANDWRITTEN_POSITIVES: readonly PositiveCase[] = [
  { text: '4111111111111111', expected: [card('4111111111111111')] },
  { text: 'Visa 4012 8888 8888 1881 please', expected: [card('4012 8888 8888 1881')] },
  { text: 'MC 5555-5555-5555-4444', expected: [card('5555-5555-5555-4444')] },
  { text: 'Mastercard 2223 0031 2200 3222', expected: [card('2223 0031 2200 3222')] },
  { text: 'Amex 3782 822463 10005', expected: [card('3782 822463 10005')] },
  {
    text: 'amex 371449635398431, cid 1234',
    expected: [card('371449635398431'), { kind: 'security_code', value: '1234' }],
  },
  { text: 'Discover 6011 1111 1111 1117', expected: [card('6011 1111 1111 1117')] },
  { text: 'Diners 3056 930902 5904', expected: [card('3056 930902 5904')] },
  { text: 'Diners 36227206271667', expected: [card('36227206271667')] },
  { text: 'JCB 3530.1113.3330.0000', expected: [card('3530.1113.3330.0000')] },
  { text: 'UnionPay 6200 0000 0000 0005', expected: [card('6200 0000 0000 0005')] },
  { text: 'UnionPay 19: 6212 3456 7890 1234 569', expected: [card('6212 3456 7890 1234 569')] },
  { text: 'Maestro 6759649826438453', expected: [card('6759649826438453')] },
  {
    text: 'Maestro 6759 6498 2643 8453 exp 12/27',
    expected: [card('6759 6498 2643 8453'), { kind: 'expiry_date', value: '12/27' }],
  },
  { text: 'Mir 2200 0000 0000 0004', expected: [card('2200 0000 0000 0004')] },
  { text: 'Visa 19 4000 0000 0000 0000 006', expected: [card('4000 0000 0000 0000 006')] },
  { text: '12.05.2024 4111 1111 1111 1111', expected: [card('4111 1111 1111 1111')] },
  {
    text: 'CVV 123 4111 1111 1111 1111',
    expected: [{ kind: 'security_code', value: '123' }, card('4111 1111 1111 1111')],
  },
  {
    text: '4111 1111 1111 1111 5555 5555 5555 4444',
    expected: [card('4111 1111 1111 1111'), card('5555 5555 5555 4444')],
  },
  {
    text: '4111-1111-1111-1111 123',
    expected: [card('4111-1111-1111-1111'), { kind: 'security_code', value: '123' }],
  },
  {
    text: '4111111111111111 123',
    expected: [card('4111111111111111'), { kind: 'security_code', value: '123' }],
  },
  {
    text: 'card 4111 1111 1111 1111 valid thru 09 / 28 sec code 321',
    expected: [
      card('4111 1111 1111 1111'),
      { kind: 'expiry_date', value: '09 / 28' },
      { kind: 'security_code', value: '321' },
    ],
  },
  {
    text: 'Nummer 4111 1111 1111 1111, läuft ab 03 27, Kartenprüfnummer: 555',
    expected: [
      card('4111 1111 1111 1111'),
      { kind: 'expiry_date', value: '03 27' },
      { kind: 'security_code', value: '555' },
    ],
  },
  {
    text: 'ma carte 5555 5555 5555 4444 valable jusqu’au 11/26 cryptogramme visuel 909',
    expected: [
      card('5555 5555 5555 4444'),
      { kind: 'expiry_date', value: '11/26' },
      { kind: 'security_code', value: '909' },
    ],
  },
  {
    text: 'Ｃａｒｔｅ ４１１１ １１１１ １１１１ １１１１',
    expected: [card('４１１１ １１１１ １１１１ １１１１')],
  },
  { text: 'بطاقتي ٤١١١١١١١١١١١١١١١', expected: [card('٤١١١١١١١١١١١١١١١')] },
  {
    text: 'Karte 4111\u202f1111\u202f1111\u202f1111',
    expected: [card('4111\u202f1111\u202f1111\u202f1111')],
  },
  { text: 'Karte 4111–1111–1111–1111', expected: [card('4111–1111–1111–1111')] },
  { text: 'the number is\n4111 1111 1111 1111\nthanks', expected: [card('4111 1111 1111 1111')] },
  { text: '[4111111111111111]', expected: [card('4111111111111111')] },
  { text: '4111111111111111?', expected: [card('4111111111111111')] },
  { text: '<4111111111111111>', expected: [card('4111111111111111')] },
  { text: 'Tel 030 1234567, Karte 4111 1111 1111 1111', expected: [card('4111 1111 1111 1111')] },
  { text: 'order 4711 and card 5105 1051 0510 5100', expected: [card('5105 1051 0510 5100')] },
];
