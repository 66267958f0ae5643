/** Why an agent was not chosen for a ticket. */
export type PassReason =
  'status' | 'offline' | 'capacity' | 'skill' | 'group' | 'excluded' | 'strategy';
export const PASS_REASONS: readonly PassReason[] = [
  'status',
  'offline',
  'capacity',
  'skill',
  'group',
  'excluded',
  'strategy',
];

export interface Consideration {
  readonly agentId: string;
  readonly outcome: 'chosen' | PassReason;
  readonly detail?: string;
}

/** One routing decision, with the reasons a person reads in the ticket's events. */
export interface Decision {
  readonly ticketId: string;
  readonly agentId: string | null;
  /** Why each agent considered was (not) chosen: at most MAX_EXPLAINED entries listed, the rest counted. */
  readonly considered: readonly Consideration[];
  readonly passedCounts: Readonly<Partial<Record<PassReason, number>>>;
  /** When agentId is null: the main reason it still waits, for the live queue API. */
  readonly waitingReason: string | null;
}

/** Enough entries to read a decision; the counts cover everyone else. */
export const MAX_EXPLAINED = 50;
