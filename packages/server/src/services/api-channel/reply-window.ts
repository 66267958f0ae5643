import { DomainError } from '@parlour/core';
import type { ApiInboxTemplate } from '@parlour/storage';

/**
 * Whether an inbox with a reply window may still send free text: within `hours` after the
 * customer's last message (WhatsApp-like networks refuse later free text; templates still go).
 */
export function replyWindowOpen(
  windowHours: number | null,
  lastInboundAt: Date | null,
  now: Date,
): boolean {
  if (windowHours === null) return true;
  if (lastInboundAt === null) return false;
  return now.getTime() - lastInboundAt.getTime() <= windowHours * 3_600_000;
}

const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

/** The names a template's body asks for, in order of first use. */
export function templateParameters(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** The template's text with its parameters filled in; every placeholder needs one, and no extras. */
export function renderTemplate(
  templates: readonly ApiInboxTemplate[],
  name: string,
  parameters: Readonly<Record<string, string>>,
): string {
  const template = templates.find((t) => t.name === name);
  if (!template)
    throw new DomainError(
      'api-channel/unknown-template',
      `This inbox has no template named "${name}"`,
      'name',
    );
  const wanted = templateParameters(template.body);
  const missing = wanted.find((p) => !(p in parameters) || parameters[p]!.trim() === '');
  if (missing)
    throw new DomainError(
      'api-channel/template-parameters',
      `The template "${name}" needs the parameter "${missing}"`,
      `parameters.${missing}`,
    );
  const extra = Object.keys(parameters).find((p) => !wanted.includes(p));
  if (extra)
    throw new DomainError(
      'api-channel/template-parameters',
      `The template "${name}" has no parameter "${extra}"`,
      `parameters.${extra}`,
    );
  return template.body.replace(PLACEHOLDER, (_all, p: string) => parameters[p]!);
}
