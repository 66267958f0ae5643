import type { Finding } from './sensitive-data.js';

/** AAA-GG-SSSS or AAA GG SSSS, the same separator twice, not inside a longer number. */
const SSN_SHAPED = /(?<![\d.-])(\d{3})([- ])(\d{2})\2(\d{4})(?!\d|[-.]\d)/g;
/** Nine bare digits count only right after an SSN keyword. */
const SSN_KEYWORD =
  /(?<![a-z])(?:ssn|ss#|social\s+security(?:\s+(?:number|no\.?|#))?)[^\d\n]{0,20}?(?<!\d)(\d{9})(?!\d|[-. ]\d)/gi;

/**
 * US Social Security numbers: AAA-GG-SSSS with dashes or spaces, or nine bare digits after
 * "SSN"/"social security". Never issued, so not matched: area 000, 666 and 900–999, group 00,
 * serial 0000. A space-separated one must not continue a longer run of number groups.
 */
export function findSsns(text: string, out: Finding[]): void {
  SSN_SHAPED.lastIndex = 0;
  for (let m = SSN_SHAPED.exec(text); m !== null; m = SSN_SHAPED.exec(text)) {
    const [whole, area = '', separator, group = '', serial = ''] = m;
    const end = m.index + whole.length;
    if (separator === ' ' && inLongerRun(text, m.index, end)) continue;
    if (validSsn(area, group, serial)) out.push({ kind: 'ssn', start: m.index, end });
  }
  SSN_KEYWORD.lastIndex = 0;
  for (let m = SSN_KEYWORD.exec(text); m !== null; m = SSN_KEYWORD.exec(text)) {
    const digits = m[1] as string;
    const end = m.index + m[0].length;
    if (validSsn(digits.slice(0, 3), digits.slice(3, 5), digits.slice(5)))
      out.push({ kind: 'ssn', start: end - 9, end });
  }
}

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

/** Whether a space-separated match continues a longer run of number groups on either side. */
function inLongerRun(text: string, start: number, end: number): boolean {
  return (
    (text.charCodeAt(start - 1) === 0x20 && isDigit(text.charCodeAt(start - 2))) ||
    (text.charCodeAt(end) === 0x20 && isDigit(text.charCodeAt(end + 1)))
  );
}

function validSsn(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}
