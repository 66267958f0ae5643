import type { FieldCheck } from './bot-flow.js';

const EMAIL =
  /^[^\s@"'<>()[\]\\,;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$/;

/** Which check a collect node applies: its own, else by the field's name. */
export function checkOf(field: string, validate: FieldCheck | undefined): FieldCheck {
  if (validate) return validate;
  if (field === 'email') return 'email';
  if (field === 'name') return 'name';
  if (field === 'phone') return 'phone';
  return 'text';
}

/** The answer cleaned up, or null when it does not fit the check. */
export function checkAnswer(text: string, check: FieldCheck): string | null {
  const value = text.trim().replace(/\s+/g, ' ');
  if (value === '') return null;
  switch (check) {
    case 'email':
      return value.length <= 254 && EMAIL.test(value) ? value.toLowerCase() : null;
    case 'name':
      // A name has letters and no @ (an email typed at the name prompt is not a name).
      return value.length <= 100 && /\p{L}/u.test(value) && !value.includes('@') ? value : null;
    case 'phone': {
      const digits = value.replace(/\D/g, '');
      return /^\+?[\d\s().\-/]+$/.test(value) && digits.length >= 6 && digits.length <= 20
        ? value
        : null;
    }
    case 'text':
      return value.length <= 500 ? value : null;
  }
}

/** What the bot says when an answer does not fit, unless the node says it itself. */
export function defaultInvalidText(check: FieldCheck): string {
  switch (check) {
    case 'email':
      return 'That does not look like an email address (like name@example.com). Please try again.';
    case 'name':
      return 'Please tell me your name.';
    case 'phone':
      return 'That does not look like a phone number. Please try again.';
    case 'text':
      return 'Please answer in at most 500 characters.';
  }
}
