/**
 * What makes a string of ASCII digits a payment card number (PAN): a known issuer range (IIN)
 * with a length that range issues, and a valid Luhn check digit.
 */

/** The Luhn (mod 10) check over ASCII digits, the last one being the check digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const prefix = (digits: string, n: number) => Number(digits.slice(0, n));
const within = (length: number, min: number, max: number) => length >= min && length <= max;

/**
 * Whether the digits start with a card issuer's range and have a length it issues:
 * Visa 4 (16 or 19: 13-digit Visa cards are long withdrawn, and a 13-digit run starting with 4 is
 * far more often a phone number written without its +, like 4915112345678); Mastercard 51–55 and
 * 2221–2720 (16); Mir 2200–2204 (16–19), Borica 2205 (16); American Express 34, 37 (15); Diners
 * 300–305, 3095, 36, 38, 39 (14–19); JCB 3528–3589 (16–19); China T-Union 31 (19); Maestro 50,
 * 56–58, 6304 and 67 (12–19); the other 6 ranges — Discover 6011, 644–649, 65, UnionPay 62,
 * RuPay 60, InterPayment 636, InstaPayment 637–639 — (16–19). Numbers starting with 0, 1, 7, 8 or
 * 9 (UATP, RuPay 81/82, Humo, Napas, Troy 9792, …) are not looked for: they are rare on cards and
 * common everywhere else.
 */
export function inCardRange(digits: string): boolean {
  const length = digits.length;
  switch (digits.charCodeAt(0) - 48) {
    case 2: {
      const p4 = prefix(digits, 4);
      if (p4 >= 2221 && p4 <= 2720) return length === 16;
      if (p4 >= 2200 && p4 <= 2204) return within(length, 16, 19);
      return p4 === 2205 && length === 16;
    }
    case 3: {
      const p2 = prefix(digits, 2);
      if (p2 === 34 || p2 === 37) return length === 15;
      if (p2 === 36 || p2 === 38 || p2 === 39) return within(length, 14, 19);
      if (p2 === 31) return length === 19;
      const p3 = prefix(digits, 3);
      if (p3 >= 300 && p3 <= 305) return within(length, 14, 19);
      const p4 = prefix(digits, 4);
      if (p4 === 3095) return within(length, 14, 19);
      return p4 >= 3528 && p4 <= 3589 && within(length, 16, 19);
    }
    case 4:
      return length === 16 || length === 19;
    case 5: {
      const p2 = prefix(digits, 2);
      if (p2 >= 51 && p2 <= 55) return length === 16;
      return (p2 === 50 || (p2 >= 56 && p2 <= 58)) && within(length, 12, 19);
    }
    case 6: {
      if (prefix(digits, 2) === 67 || prefix(digits, 4) === 6304) return within(length, 12, 19);
      return within(length, 16, 19);
    }
    default:
      return false;
  }
}

/** A card number: 12–19 ASCII digits in a card range, Luhn-valid. */
export function isCardNumber(digits: string): boolean {
  return digits.length >= 12 && digits.length <= 19 && inCardRange(digits) && luhnValid(digits);
}
