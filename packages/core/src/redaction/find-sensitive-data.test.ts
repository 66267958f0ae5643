import { describe, expect, it } from 'vitest';
import { containsSensitiveData, findSensitiveData } from './find-sensitive-data.js';
import type { DetectorOptions } from './sensitive-data.js';

/** What was found, as [kind, text] pairs in order. */
function found(text: string, detectors?: DetectorOptions): [string, string][] {
  return findSensitiveData(text, detectors).map((f) => [f.kind, text.slice(f.start, f.end)]);
}

const cards = (text: string) =>
  found(text)
    .filter(([kind]) => kind === 'card_number')
    .map(([, value]) => value);

describe('findSensitiveData', () => {
  it('finds a Luhn-valid card number in a known range, with or without separators', () => {
    expect(cards('pay with 4111111111111111 please')).toEqual(['4111111111111111']);
    expect(cards('pay with 4111 1111 1111 1111 please')).toEqual(['4111 1111 1111 1111']);
    expect(cards('pay with 4111-1111-1111-1111 please')).toEqual(['4111-1111-1111-1111']);
    expect(cards('pay with 4111.1111.1111.1111 please')).toEqual(['4111.1111.1111.1111']);
    expect(cards('Amex 3782 822463 10005')).toEqual(['3782 822463 10005']);
  });

  it('ignores numbers failing the Luhn check', () => {
    expect(found('order 4111 1111 1111 1112')).toEqual([]);
  });

  it('ignores Luhn-valid numbers outside the card ranges', () => {
    expect(found('ref 7111 1111 1111 1115 and 1111111111111117')).toEqual([]);
  });

  it('ignores groups mixing separators', () => {
    expect(found('4111 1111-1111.1111')).toEqual([]);
  });

  it('ignores groups not laid out as on a card', () => {
    expect(found('411 1111 1111 11111')).toEqual([]);
    expect(found('41111 11111 111111')).toEqual([]);
  });

  it('does not take a phone number after + for a card', () => {
    expect(found('call +4111111111111111')).toEqual([]);
    expect(found('ruf an: +49 4111 1111 1111 1111')).toEqual([]);
  });

  it('does not take the usual phone shapes for cards', () => {
    for (const phone of [
      '(555) 123-4567',
      '00 49 30 1234 5678',
      '0151 1234 5678',
      '+33 6 12 34 56 78',
      '4915112345678',
    ])
      expect(found(`call ${phone}`), phone).toEqual([]);
  });

  it('does not look inside URLs', () => {
    expect(found('https://shop.example.com/orders/4111111111111111')).toEqual([]);
    expect(found('see www.example.com/p/4111-1111-1111-1111?x=1')).toEqual([]);
  });

  it('does not take dates, times or amounts for cards', () => {
    expect(found('2024-05-12 14:30 and 12.05.2024, total 1.234.567,89 €')).toEqual([]);
  });

  it('does not take a run of 20 or more digits for a card', () => {
    expect(found('tracking 41111111111111111111')).toEqual([]);
    expect(found('tracking 00041111111111111111')).toEqual([]);
  });

  it('does not take digits glued to letters for a card (identifiers), but does after punctuation', () => {
    expect(found('ORD4111111111111111')).toEqual([]);
    expect(found('4111111111111111X')).toEqual([]);
    expect(found('ref_4111111111111111')).toEqual([]);
    expect(cards('card:4111111111111111')).toEqual(['4111111111111111']);
    expect(cards('#4111111111111111!')).toEqual(['4111111111111111']);
  });

  it('does not cut a longer grouped number into a short card and a rest', () => {
    expect(found('5020-7226-5296-6199')).toEqual([]);
  });

  it('finds a card after a short number or a change of separator', () => {
    expect(cards('nr 2 4111 1111 1111 1111')).toEqual(['4111 1111 1111 1111']);
    expect(cards('12.05.2024 4111 1111 1111 1111')).toEqual(['4111 1111 1111 1111']);
  });

  it('finds two cards written one after the other', () => {
    expect(cards('4111 1111 1111 1111 5555 5555 5555 4444')).toEqual([
      '4111 1111 1111 1111',
      '5555 5555 5555 4444',
    ]);
  });

  it('finds the expiry date and security code next to a card', () => {
    expect(found('card 4111 1111 1111 1111 exp 12/27 cvv 123')).toEqual([
      ['card_number', '4111 1111 1111 1111'],
      ['expiry_date', '12/27'],
      ['security_code', '123'],
    ]);
    expect(found('Karte 5555555555554444, gültig bis 03/2029, Prüfnummer: 737')).toEqual([
      ['card_number', '5555555555554444'],
      ['expiry_date', '03/2029'],
      ['security_code', '737'],
    ]);
    expect(found('carte 5555555555554444 expire le 11-26 cryptogramme visuel 909')).toEqual([
      ['card_number', '5555555555554444'],
      ['expiry_date', '11-26'],
      ['security_code', '909'],
    ]);
  });

  it('finds a bare code and date beside a card when only punctuation separates them', () => {
    expect(found('4111 1111 1111 1111, 12/27, 123')).toEqual([
      ['card_number', '4111 1111 1111 1111'],
      ['expiry_date', '12/27'],
      ['security_code', '123'],
    ]);
    expect(found('4111-1111-1111-1111-123')).toEqual([
      ['card_number', '4111-1111-1111-1111'],
      ['security_code', '123'],
    ]);
  });

  it('finds a code before the card when a keyword names it', () => {
    expect(found('CVC 1234 for 378282246310005')).toEqual([
      ['security_code', '1234'],
      ['card_number', '378282246310005'],
    ]);
  });

  it('ignores a bare number beside a card when words separate them', () => {
    expect(found('card 4111 1111 1111 1111 for order 1234')).toEqual([
      ['card_number', '4111 1111 1111 1111'],
    ]);
  });

  it('ignores dates and codes that are not near a card', () => {
    expect(found('meet at 12/25 in room 123, cvv 123, exp 12/27')).toEqual([]);
    expect(
      found(
        `4111 1111 1111 1111 ${'and then a long story about something else '.repeat(2)} exp 12/27`,
      ),
    ).toEqual([['card_number', '4111 1111 1111 1111']]);
  });

  it('finds cards written with full-width or Arabic-Indic digits', () => {
    expect(cards('カード ４１１１ １１１１ １１１１ １１１１')).toEqual([
      '４１１１ １１１１ １１１１ １１１１',
    ]);
    expect(cards('بطاقتي ٤١١١١١١١١١١١١١١١')).toEqual(['٤١١١١١١١١١١١١١١١']);
  });

  it('reports UTF-16 indexes into the original text, whatever comes before', () => {
    const text = '😀 Grüße, voilà 🎉💳 4111111111111111 ok';
    const [f] = findSensitiveData(text);
    expect(f && text.slice(f.start, f.end)).toBe('4111111111111111');
    expect(f?.start).toBe(text.indexOf('4111'));
  });

  it('returns findings sorted by start and never overlapping', () => {
    const text = 'CVV 123 4111 1111 1111 1111 12/27 and DE89 3704 0044 0532 0130 00, 123-45-6789';
    const findings = findSensitiveData(text, { iban: true, ssn: true });
    expect(findings.map((f) => f.kind)).toEqual([
      'security_code',
      'card_number',
      'expiry_date',
      'iban',
      'ssn',
    ]);
    for (let i = 1; i < findings.length; i++)
      expect(findings[i]!.start).toBeGreaterThanOrEqual(findings[i - 1]!.end);
  });

  it('looks for IBANs only when asked', () => {
    const text = 'IBAN DE89 3704 0044 0532 0130 00 bitte';
    expect(found(text)).toEqual([]);
    expect(found(text, { iban: true })).toEqual([['iban', 'DE89 3704 0044 0532 0130 00']]);
    expect(found('GB29NWBK60161331926819', { iban: true })).toEqual([
      ['iban', 'GB29NWBK60161331926819'],
    ]);
    expect(found('fr76 3000 6000 0112 3456 7890 189', { iban: true })).toEqual([
      ['iban', 'fr76 3000 6000 0112 3456 7890 189'],
    ]);
  });

  it('ignores IBANs failing the mod-97 check or with the wrong length for their country', () => {
    expect(found('DE88 3704 0044 0532 0130 00', { iban: true })).toEqual([]);
    expect(found('DE89 3704 0044 0532 0130 001', { iban: true })).toEqual([]);
    expect(found('XX89 3704 0044 0532 0130 00', { iban: true })).toEqual([]);
  });

  it('looks for US SSNs only when asked, with dashes or spaces', () => {
    expect(found('SSN 123-45-6789')).toEqual([]);
    expect(found('SSN 123-45-6789', { ssn: true })).toEqual([['ssn', '123-45-6789']]);
    expect(found('my ssn is 123 45 6789', { ssn: true })).toEqual([['ssn', '123 45 6789']]);
  });

  it('ignores SSNs in ranges never issued', () => {
    for (const ssn of ['000-12-3456', '666-12-3456', '912-12-3456', '123-00-4567', '123-45-0000'])
      expect(found(`SSN ${ssn}`, { ssn: true }), ssn).toEqual([]);
  });

  it('takes nine bare digits for an SSN only after an SSN keyword', () => {
    expect(found('order 123456789', { ssn: true })).toEqual([]);
    expect(found('social security number: 123456789', { ssn: true })).toEqual([
      ['ssn', '123456789'],
    ]);
  });

  it('does not take an SSN shape inside a longer number', () => {
    expect(found('call 030 123 45 6789 12', { ssn: true })).toEqual([]);
    expect(found('ref 1-123-45-6789', { ssn: true })).toEqual([]);
  });

  it('tells whether a text contains sensitive data', () => {
    expect(containsSensitiveData('hello 4111 1111 1111 1111')).toBe(true);
    expect(containsSensitiveData('hello 4111 1111 1111 1112')).toBe(false);
    expect(containsSensitiveData('SSN 123-45-6789')).toBe(false);
    expect(containsSensitiveData('SSN 123-45-6789', { ssn: true })).toBe(true);
  });
});
