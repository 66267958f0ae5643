import { describe, expect, it } from 'vitest';
import { inCardRange, isCardNumber, luhnValid } from './card-number.js';

describe('card numbers', () => {
  it('pass the Luhn check only with the right check digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('41x1')).toBe(false);
  });

  it('are recognised in each brand’s range with the lengths it issues', () => {
    for (const pan of [
      '4111111111111111', // Visa 16
      '4000000000000000006', // Visa 19
      '5555555555554444', // Mastercard
      '2223003122003222', // Mastercard 2-series
      '378282246310005', // American Express
      '6011111111111117', // Discover
      '30569309025904', // Diners 14
      '3530111333300000', // JCB
      '6200000000000005', // UnionPay
      '6759649826438453', // Maestro
      '2200000000000004', // Mir
    ])
      expect(isCardNumber(pan), pan).toBe(true);
  });

  it('are not recognised at a length the range does not issue', () => {
    expect(inCardRange('4222222222222')).toBe(false); // 13-digit Visa: withdrawn
    expect(inCardRange('37828224631000')).toBe(false); // Amex is 15 digits
    expect(inCardRange('55555555555544440')).toBe(false); // Mastercard is 16
    expect(inCardRange('601111111111')).toBe(false); // Discover is 16–19
    expect(inCardRange('501800000009')).toBe(true); // Maestro goes down to 12
  });

  it('are not recognised outside the card ranges even when Luhn-valid', () => {
    for (const pan of [
      '1111111111111117',
      '7111111111111115',
      '8111111111111113',
      '9111111111111111',
      '0111111111111119',
      '5911111111111114',
      '3311111111111113',
    ])
      expect(isCardNumber(pan), pan).toBe(false);
  });
});
