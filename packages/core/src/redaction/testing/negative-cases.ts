import { luhnValid } from '../card-number.js';
import { CHAT_SENTENCES } from './chat-sentences.js';
import type { SeededRandom } from './seeded-random.js';
import { TEST_BRANDS, breakLuhn, formatCard, makeCardNumber } from './test-cards.js';

type Make = (r: SeededRandom) => string;

/** `#` is a random digit, `A` a random capital letter, `h` a random hex digit. */
function fill(r: SeededRandom, pattern: string): string {
  return pattern.replace(/[#Ah]/g, (c) =>
    c === '#'
      ? String(r.int(10))
      : c === 'A'
        ? String.fromCharCode(65 + r.int(26))
        : r.int(16).toString(16),
  );
}

const shapes =
  (...patterns: string[]): Make =>
  (r) =>
    fill(r, r.pick(patterns));

/** Phone numbers of many countries, as people type them. */
const phone = shapes(
  '+49 30 ########',
  '+49 (0)30 #### ####',
  '0049 151 ########',
  '030 ########',
  '0151 #### ####',
  '+49 1512 #######',
  '+4915#########',
  '4915#########',
  '49 151 ########',
  '(555) ###-####',
  '+1 415 ### ####',
  '1-800-###-####',
  '415.###.####',
  '+1 (415) ###-####',
  '011 44 20 #### ####',
  '+44 20 #### ####',
  '020 #### ####',
  '07700 ######',
  '+44 7700 ######',
  '00 44 20 #### ####',
  '+33 6 ## ## ## ##',
  '06 ## ## ## ##',
  '06.##.##.##.##',
  '0033 1 ## ## ## ##',
  '+41 44 ### ## ##',
  '+43 1 #########',
  '+39 06 #### ####',
  '+34 612 ### ###',
  '+31 20 ### ####',
  '+32 2 ### ## ##',
  '+48 512 ### ###',
  '+55 11 9####-####',
  '+91 98### #####',
  '098### #####',
  '+86 138 #### ####',
  '+81 90-####-####',
  '+61 4 #### ####',
  '0412 ### ###',
  '+7 912 ###-##-##',
  '8 (912) ###-##-##',
  '+52 1 55 #### ####',
  '+27 82 ### ####',
  '+234 803 ### ####',
  '+63 917 ### ####',
  '+62 812-####-####',
  '+90 532 ### ## ##',
  '+46 70 ### ## ##',
  '+358 40 ### ####',
  '+353 87 ### ####',
  '+971 50 ### ####',
  'tel:+4930#######',
  '+49 30 ######-##',
  '+1 212 ### #### ext. ###',
);

const PHONE_LINES = [
  'Call me at {x}',
  'Meine Nummer: {x}',
  'Vous pouvez me joindre au {x}',
  'Rückruf bitte unter {x}, danke',
  'WhatsApp {x}',
  'my number is {x} or email me',
  '{x}',
  'Tel. {x} (ab 14 Uhr)',
];

/** Order, customer, contract and invoice numbers. */
const orderNumber = shapes(
  '###-#######-#######',
  '###-#######-#######',
  'ORD-2024-######',
  '#######',
  '##########',
  'RE-####-#####',
  '##-#####-#####',
  '#1####',
  'A##########',
  'INV/2024/#####',
  'KD-########',
  '##.###.###',
  '#########-##',
);

const ORDER_LINES = [
  'Order number {x}',
  'Bestellnummer {x}',
  'numéro de commande {x}',
  'Meine Kundennummer ist {x}',
  'Vertragsnummer {x}, bitte prüfen',
  'Rechnung {x} ist falsch',
  'ticket #{x}',
  "C'est la commande {x} !",
  'Re: Ihre Bestellung {x}',
];

/** Parcel tracking numbers of the big carriers. */
const tracking = shapes(
  '1ZAAA###########',
  '1Z###AA#########',
  '##########',
  '00340434##########',
  '0034043412########',
  'JJD000390#########',
  '7#### #### ###',
  '#### #### #### #### #### ##',
  '9400 1#### #### #### #### ##',
  '9205 5#### #### #### #### ##',
  'AA#########DE',
  'RR#########GB',
  '6A###########',
  'CB#########FR',
  '3SAAAA#########',
  'H100##########',
  '#############',
  '0##############',
);

const TRACKING_LINES = [
  'Tracking: {x}',
  'Sendungsnummer {x}',
  'numéro de suivi : {x}',
  'The tracking number {x} shows no movement',
  'DHL sagt {x} wurde zugestellt?!',
  'UPS {x}',
];

const date = shapes(
  '##/##/####',
  '####-##-##',
  '##.##.####',
  '####-##-## ##:##',
  '####-##-##T##:##:##Z',
  '####-##-##T##:##:##.######Z',
  '##:##',
  '##:##:##',
  '##.##.',
  '##/##',
  '## ## ####',
  '####-##-## ##:##:##.###',
  '##.##.#### ##:## Uhr',
);

const DATE_LINES = [
  'meet at {x}',
  'Termin am {x}',
  'rendez-vous le {x}',
  'delivered {x}',
  'Lieferung kam {x} an',
  'last login {x}',
  '[{x}] agent joined',
];

const amount = shapes(
  '#.###.###,## €',
  '€#,###,###.##',
  '$#,###.##',
  '## ### ###,## €',
  '#\u202f###\u202f###,## €',
  'CHF #\u2019###.##',
  '#####,##',
  '###.###.###.###',
  '##,## EUR',
);

const AMOUNT_LINES = [
  'Der Betrag von {x} wurde abgebucht',
  'I was charged {x} twice',
  'montant : {x}',
  'total {x}',
  'Umsatz {x} im Quartal',
];

const url = (r: SeededRandom): string => {
  const id = r.chance(0.5)
    ? makeCardNumber(r, r.pick(TEST_BRANDS))
    : fill(r, '#'.repeat(12 + r.int(8)));
  return r.pick([
    `https://shop.example.com/orders/${id}`,
    `https://www.example.de/p/${id}?ref=chat`,
    `http://tracking.example.org/track?id=${id}&lang=de`,
    `www.example.fr/commande/${id}`,
    `https://t.example.io/${id}`,
    `(https://example.com/a/${id})`,
    `https://example.com/i/${id.slice(0, 4)}-${id.slice(4)}`,
  ]);
};

const URL_LINES = ['see {x}', 'Link: {x}', 'voir {x} svp', '{x}', 'hier der Link {x} klappt nicht'];

const identifier = shapes(
  'hhhhhhhh-hhhh-4hhh-8hhh-hhhhhhhhhhhh',
  'hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh',
  'hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh',
  'hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh',
  'hhhhhhh',
  'v#.##.###',
  '##.#.#####.####',
  'Build ####.##.##.#',
  'sha256:hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh',
  '###.###.###.###',
  '##:AA:##:##:AA:##',
);

const ID_LINES = [
  'request id {x}',
  'Fehler-ID: {x}',
  'commit {x}',
  'version {x}',
  'identifiant {x}',
  'Error {x} when uploading',
];

/** A number whose first digit is not used by the card ranges looked for, Luhn-valid anyway. */
function outOfRangeLuhnValid(r: SeededRandom): string {
  const body = r.pick(['1', '7', '8', '9', '0']) + r.digits(14);
  for (let c = 0; c < 10; c++) if (luhnValid(body + String(c))) return body + String(c);
  return body + '0';
}

const SEPARATORS = ['', ' ', '-', '.'];

const NUMBER_LINES = [
  'Referenz {x}',
  'order number {x}',
  'mein Code ist {x}',
  'numéro {x}',
  'Gutschein {x}',
  '{x}',
  'Kontrollnummer: {x}.',
];

const CASUAL: readonly string[] = [
  'meet at 12/25',
  'room 123',
  'Ich bin in Zimmer 412',
  'What is a CVV?',
  'Wo finde ich die Prüfnummer?',
  "C'est quoi le cryptogramme ?",
  'code 1234',
  'my PIN is not working',
  'exp 12/27',
  'cvv 123',
  'see you at 10:30',
  'Ich komme um 14 Uhr',
  'Top 10 questions',
  'we are 3 people, 2 adults and 1 child',
  'The 4th of July sale',
  '100% satisfied',
  'Ticket 5 of 12',
  'Zimmer 12, Etage 3',
  'Seite 4 von 16',
  'Bitte 2x bestellen',
  '**** **** **** 1111',
  'XXXX-XXXX-XXXX-4242',
  '411111******1111',
  'card ending in 4242',
  'Karte endet auf 1881',
  'la carte se termine par 0005',
  'Score 3:1 😀',
  '1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16',
  'ISBN 978-3-16-148410-0',
  'EAN 4006381333931',
  'IMEI 35-209900-176148-1',
  'Postleitzahl 10115 Berlin',
  '75001 Paris',
  'SW1A 1AA London',
  'von 9 bis 17 Uhr erreichbar',
];

/** Luhn-valid 15-digit device numbers (IMEI, reporting body 35). */
function imei(r: SeededRandom): string {
  const body = '35' + r.digits(12);
  for (let c = 0; c < 10; c++) if (luhnValid(body + String(c))) return body + String(c);
  return body + '0';
}

/** A valid IBAN: country, check digits computed, a BBAN of the country's length. */
function iban(r: SeededRandom, spaced: boolean): string {
  const [country, bban] = r.pick([
    ['DE', '##################'],
    ['FR', '#######################'],
    ['GB', 'AAAA##############'],
    ['NL', 'AAAA##########'],
    ['AT', '################'],
    ['CH', '#################'],
    ['BE', '############'],
    ['ES', '####################'],
    ['IT', 'A######################'],
  ] as const);
  const body = fill(r, bban);
  const numeric = (body + country + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of numeric) rest = (rest * 10 + Number(ch)) % 97;
  const check = String(98 - rest).padStart(2, '0');
  const whole = country + check + body;
  return spaced ? (whole.match(/.{1,4}/g) ?? []).join(' ') : whole;
}

function line(r: SeededRandom, templates: readonly string[], x: string): string {
  const text = r.pick(templates).replace('{x}', x);
  if (r.chance(0.3)) return `${r.pick(CHAT_SENTENCES)} ${text}`;
  return r.chance(0.2) ? `${text} ${r.pick(CHAT_SENTENCES)}` : text;
}

/**
 * Texts without card data that look like it: phone numbers, order and tracking numbers, dates,
 * amounts, URLs with long ids, UUIDs, hashes, versions, card-range numbers failing Luhn,
 * Luhn-valid numbers outside the card ranges, IMEIs, IBANs (the IBAN detector off), long digit
 * runs and identifiers with a card inside, masked cards, and plain chat.
 */
export function generatedNegatives(r: SeededRandom): string[] {
  const out: string[] = [];
  const times = (n: number, make: () => string) => {
    for (let i = 0; i < n; i++) out.push(make());
  };
  times(220, () => line(r, PHONE_LINES, phone(r)));
  times(100, () => line(r, ORDER_LINES, orderNumber(r)));
  times(120, () => line(r, TRACKING_LINES, tracking(r)));
  times(80, () => line(r, DATE_LINES, date(r)));
  times(60, () => line(r, AMOUNT_LINES, amount(r)));
  times(70, () => line(r, URL_LINES, url(r)));
  times(70, () => line(r, ID_LINES, identifier(r)));
  times(120, () => {
    const digits = breakLuhn(makeCardNumber(r, r.pick(TEST_BRANDS)));
    return line(r, NUMBER_LINES, formatCard(digits, r.pick(SEPARATORS)));
  });
  times(120, () => line(r, NUMBER_LINES, formatCard(outOfRangeLuhnValid(r), r.pick(SEPARATORS))));
  times(25, () => line(r, ['IMEI {x}', 'Seriennummer {x}', 'IMEI : {x}'], imei(r)));
  times(40, () =>
    line(r, ['IBAN {x}', 'Bitte überweisen an {x}', 'mon IBAN : {x}'], iban(r, r.chance(0.7))),
  );
  times(40, () => {
    const digits = makeCardNumber(r, r.pick(TEST_BRANDS));
    const run = r.chance(0.5)
      ? digits + r.digits(20 - digits.length + r.int(4))
      : r.digits(20 - digits.length + r.int(4)) + digits;
    return line(r, NUMBER_LINES, run);
  });
  times(40, () => {
    const digits = makeCardNumber(r, r.pick(TEST_BRANDS));
    return line(
      r,
      ID_LINES,
      r.pick([
        `ORD${digits}`,
        `${digits}X`,
        `INV${digits}A`,
        `ref_${digits}`,
        `tx${digits}`,
        `${digits}abc`,
      ]),
    );
  });
  for (const text of CASUAL) out.push(text);
  times(60, () => r.pick(CHAT_SENTENCES));
  return out;
}
