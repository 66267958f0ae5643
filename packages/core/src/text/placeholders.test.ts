import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import {
  renderPlaceholders,
  validatePlaceholders,
  type PlaceholderValues,
} from './placeholders.js';

const vars: PlaceholderValues = {
  requester: { name: 'Vera  Verified', email: 'vera@example.com' },
  agent: { name: 'Alex Agent' },
  ticket: { number: 42, subject: 'Where is my parcel?', status: 'on_hold' },
  group: { name: 'Support' },
};

describe('renderPlaceholders', () => {
  it('fills every known placeholder', () => {
    expect(
      renderPlaceholders(
        '{{requester.name}}|{{requester.first_name}}|{{requester.email}}|{{agent.name}}|{{agent.first_name}}|{{ticket.number}}|{{ticket.subject}}|{{group.name}}',
        vars,
      ),
    ).toBe('Vera  Verified|Vera|vera@example.com|Alex Agent|Alex|42|Where is my parcel?|Support');
  });

  it('says a status in words', () => {
    expect(renderPlaceholders('Your ticket is {{ticket.status}}.', vars)).toBe(
      'Your ticket is on hold.',
    );
  });

  it('allows spaces inside the braces', () => {
    expect(renderPlaceholders('Hi {{ requester.first_name }}!', vars)).toBe('Hi Vera!');
  });

  it('greets a requester without a name as "there"', () => {
    expect(renderPlaceholders('Hi {{requester.first_name}}, thanks {{requester.name}}', {})).toBe(
      'Hi there, thanks there',
    );
  });

  it('leaves out any other value that is not known', () => {
    expect(
      renderPlaceholders(
        '[{{agent.name}}][{{ticket.number}}][{{group.name}}][{{requester.email}}]',
        {
          agent: { name: '  ' },
          ticket: { number: null },
        },
      ),
    ).toBe('[][][][]');
  });

  it('keeps text that is not a known placeholder as written', () => {
    expect(renderPlaceholders('{{nope}} and {single}', vars)).toBe('{{nope}} and {single}');
  });
});

describe('validatePlaceholders', () => {
  it('accepts a template made of known placeholders', () => {
    expect(() =>
      validatePlaceholders('Hi {{requester.first_name}} ({{ticket.number}})', 'body'),
    ).not.toThrow();
  });

  it('refuses an unknown placeholder, naming it and the field', () => {
    const error = catchError(() => validatePlaceholders('Hi {{customer.name}}', 'body'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'validation/invalid', field: 'body' });
    expect(error.message).toContain('{{customer.name}}');
  });

  it('refuses an unclosed placeholder', () => {
    expect(() => validatePlaceholders('Hi {{requester.name}', 'text')).toThrow(/not closed/);
  });
});

function catchError(fn: () => void): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
