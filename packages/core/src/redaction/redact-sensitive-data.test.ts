import { describe, expect, it } from 'vitest';
import { redactSensitiveData } from './redact-sensitive-data.js';

describe('redactSensitiveData', () => {
  it('keeps only the last four digits of a card by default, and its separators', () => {
    expect(redactSensitiveData('card 4111 1111 1111 1111.').text).toBe('card **** **** **** 1111.');
    expect(redactSensitiveData('4111-1111-1111-1111').text).toBe('****-****-****-1111');
    expect(redactSensitiveData('378282246310005').text).toBe('***********0005');
  });

  it('keeps the first six and last four digits with first6_last4', () => {
    const { text } = redactSensitiveData('card 4111 1111 1111 1111', { mask: 'first6_last4' });
    expect(text).toBe('card 4111 11** **** 1111');
  });

  it('shows only the last four of a card shorter than 16 digits, even with first6_last4', () => {
    const { text } = redactSensitiveData('Amex 3782 822463 10005', { mask: 'first6_last4' });
    expect(text).toBe('Amex **** ****** *0005');
  });

  it('masks security codes and expiry dates whole', () => {
    const { text } = redactSensitiveData('4111111111111111 exp 12/27 cvv 123');
    expect(text).toBe('************1111 exp **/** cvv ***');
  });

  it('keeps the country code and last four characters of an IBAN', () => {
    const { text } = redactSensitiveData('IBAN DE89 3704 0044 0532 0130 00', {
      detectors: { iban: true },
    });
    expect(text).toBe('IBAN DE** **** **** **** **30 00');
  });

  it('keeps the last four digits of an SSN', () => {
    const { text } = redactSensitiveData('SSN 123-45-6789', { detectors: { ssn: true } });
    expect(text).toBe('SSN ***-**-6789');
  });

  it('hides the last four digits too when more digits follow that could join them into a card', () => {
    // 1111-1111-2222-3333 would otherwise read as one number after masking.
    const { text } = redactSensitiveData('4111-1111-1111-1111-1111-2222-3333');
    expect(text).toBe('****-****-****-****-1111-2222-3333');
  });

  it('masks again what masking turns into card data', () => {
    // The run 6759-7734-5806-7 went on into the second card; masking that card ends it, and on
    // its own it reads as a 13-digit Maestro number.
    const r = redactSensitiveData('6759-7734-5806-7-3528-7877-4868-3090');
    expect(r.text).toBe('****-****-*806-7-****-****-****-3090');
    expect(r.counts).toEqual({ card_number: 2 });
  });

  it('counts the masked items per kind and in total', () => {
    const r = redactSensitiveData('4111111111111111 12/27 123 and 5555 5555 5555 4444');
    expect(r.counts).toEqual({ card_number: 2, expiry_date: 1, security_code: 1 });
    expect(r.total).toBe(4);
  });

  it('returns the same string, and no counts, when nothing is found', () => {
    const text = 'Hallo, meine Bestellung 12345 ist noch nicht da 😕';
    const r = redactSensitiveData(text);
    expect(r.text).toBe(text);
    expect(r.counts).toEqual({});
    expect(r.total).toBe(0);
  });

  it('keeps the text’s length and every character outside the findings', () => {
    const text = '😀 Grüße 4111 1111 1111 1111 ok';
    const r = redactSensitiveData(text);
    expect(r.text).toHaveLength(text.length);
    expect(r.text).toBe('😀 Grüße **** **** **** 1111 ok');
  });

  it('masks full-width digits with the same mask', () => {
    expect(redactSensitiveData('４１１１ １１１１ １１１１ １１１１').text).toBe(
      '**** **** **** １１１１',
    );
  });
});
