import { DomainError } from '../errors.js';
import type { TicketStatus } from '../ticket/ticket.js';

/**
 * Placeholders that macros, predefined responses and rule messages may use, written
 * `{{requester.first_name}}` (spaces inside the braces are allowed).
 */
export const PLACEHOLDERS = [
  'requester.name',
  'requester.first_name',
  'requester.email',
  'agent.name',
  'agent.first_name',
  'ticket.number',
  'ticket.subject',
  'ticket.status',
  'group.name',
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];

/** What the placeholders are filled with; anything absent or null is "not known". */
export interface PlaceholderValues {
  readonly requester?: { readonly name?: string | null; readonly email?: string | null };
  readonly agent?: { readonly name?: string | null };
  readonly ticket?: {
    readonly number?: number | null;
    readonly subject?: string | null;
    readonly status?: TicketStatus | null;
  };
  readonly group?: { readonly name?: string | null };
}

/**
 * Said instead of the requester's name when it is not known: most texts greet the customer
 * ("Hi {{requester.first_name}}," reads "Hi there,"), and anonymous chat visitors have no name.
 */
export const UNKNOWN_REQUESTER_NAME = 'there';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

const STATUS_WORDS: Readonly<Record<TicketStatus, string>> = {
  new: 'new',
  open: 'open',
  pending: 'pending',
  on_hold: 'on hold',
  solved: 'solved',
  closed: 'closed',
};

/**
 * Fills the placeholders of a template. The requester's name, when unknown, is "there"; any other
 * unknown value is left out (an empty string). Text that is not a known placeholder is kept as
 * written (templates are checked with validatePlaceholders when saved).
 */
export function renderPlaceholders(template: string, vars: PlaceholderValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    isPlaceholder(name) ? valueOf(name, vars) : whole,
  );
}

/** Refuses a template with a placeholder Parlour does not know, or with an unclosed `{{`. */
export function validatePlaceholders(template: string, field: string): void {
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!isPlaceholder(name)) {
      throw new DomainError(
        'validation/invalid',
        `Unknown placeholder {{${name}}} (known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')})`,
        field,
      );
    }
  }
  if (template.replace(PLACEHOLDER, '').includes('{{')) {
    throw new DomainError(
      'validation/invalid',
      'A placeholder is not closed: write it as {{requester.name}}',
      field,
    );
  }
}

function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

function valueOf(name: Placeholder, vars: PlaceholderValues): string {
  switch (name) {
    case 'requester.name':
      return known(vars.requester?.name) ?? UNKNOWN_REQUESTER_NAME;
    case 'requester.first_name':
      return firstName(vars.requester?.name) ?? UNKNOWN_REQUESTER_NAME;
    case 'requester.email':
      return known(vars.requester?.email) ?? '';
    case 'agent.name':
      return known(vars.agent?.name) ?? '';
    case 'agent.first_name':
      return firstName(vars.agent?.name) ?? '';
    case 'ticket.number':
      return vars.ticket?.number != null ? String(vars.ticket.number) : '';
    case 'ticket.subject':
      return known(vars.ticket?.subject) ?? '';
    case 'ticket.status':
      return vars.ticket?.status ? STATUS_WORDS[vars.ticket.status] : '';
    case 'group.name':
      return known(vars.group?.name) ?? '';
  }
}

function known(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v ? v : null;
}

function firstName(name: string | null | undefined): string | null {
  return known(name)?.split(/\s+/)[0] ?? null;
}
