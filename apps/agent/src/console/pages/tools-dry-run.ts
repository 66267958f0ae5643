import type { DryRunResult } from '@parlour/protocol';

type Line = DryRunResult['triggers'][number];

/**
 * The dry run lists triggers in evaluation order. Those that fire do so pass by pass (each firing
 * that changes the ticket starts a new pass from the top), so their firing order is by pass,
 * then by position; the rest keep their order.
 */
export function orderDryRun(result: DryRunResult): { fired: Line[]; notFired: Line[] } {
  const fired = result.triggers
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.outcome === 'fired')
    .sort((a, b) => (a.t.pass ?? 0) - (b.t.pass ?? 0) || a.i - b.i)
    .map(({ t }) => t);
  const notFired = result.triggers.filter((t) => t.outcome !== 'fired');
  return { fired, notFired };
}

/** Why a trigger did not fire, in a word or three. */
export function outcomeLabel(outcome: string): string {
  switch (outcome) {
    case 'not_matched':
      return 'conditions not met';
    case 'skipped_session_ended':
      return 'no live messaging session';
    case 'inactive':
      return 'inactive';
    case 'already_fired':
      return 'already fired';
    default:
      return outcome.replace(/_/g, ' ');
  }
}
