/**
 * The one registry of report metrics: what starts and stops each measurement, who it is credited
 * to and which moment decides the day it counts on. The report screens, the CSV export and
 * docs/metrics.md all read it; `deriveTicketSamples` implements it.
 */

export const METRIC_IDS = [
  'first_reply_time',
  'requester_wait_time',
  'agent_wait_time',
  'resolution_time',
  'handle_time',
  'wrap_up_time',
  'queue_wait_time',
  'offers_made',
  'offers_accepted',
  'offers_declined',
  'offers_missed',
  'abandoned',
  'reopens',
  'one_touch_resolution',
  'csat_score',
  'agent_status_time',
  'occupancy',
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

export type MetricKind = 'duration' | 'count' | 'ratio';
export type ReportDimension = 'agent' | 'group' | 'channel' | 'status';

/** Where a metric's samples come from: a ticket's history, or agents' status changes. */
export type MetricSource = 'ticket' | 'agent_status';

export interface MetricDefinition {
  readonly id: MetricId;
  readonly label: string;
  readonly kind: MetricKind;
  readonly description: string;
  readonly start: string;
  readonly stop: string;
  readonly creditedTo: string;
  readonly countsOn: string;
  readonly dimensions: readonly ReportDimension[];
  readonly businessHours: boolean;
  readonly source: MetricSource;
}

const TICKET_DIMENSIONS: readonly ReportDimension[] = ['agent', 'group', 'channel'];

/** A cycle starts at the handoff (the ticket's creation) or a reopen and ends when it is solved. */
const CYCLE =
  'A ticket has one cycle from its handoff to its first solve, and a new one from each reopen to the next solve.';

export const METRICS: readonly MetricDefinition[] = [
  {
    id: 'first_reply_time',
    label: 'First reply time',
    kind: 'duration',
    description:
      'How long the customer waited for a person to answer. Bot conversation before the handoff never counts (the clock starts at the handoff), and each reopen starts a new measurement, so a reopened ticket is not measured from its original creation. Internal notes, bot and automated messages are not replies.',
    start: 'The handoff (ticket created), or a reopen (Solved → any open status).',
    stop: 'The next public reply written by an agent.',
    creditedTo: 'The agent who wrote that reply; the ticket’s group at that moment.',
    countsOn: 'The moment of the reply.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: true,
    source: 'ticket',
  },
  {
    id: 'requester_wait_time',
    label: 'Requester wait time',
    kind: 'duration',
    description: `Time the customer waited on us: the ticket was New, Open or On-hold. ${CYCLE} One sample per cycle.`,
    start: 'The cycle’s start (handoff or reopen).',
    stop: 'The solve that ends the cycle; only time in New, Open and On-hold is summed.',
    creditedTo: 'The assignee when the ticket was solved; the ticket’s group then.',
    countsOn: 'The moment the ticket was solved.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: true,
    source: 'ticket',
  },
  {
    id: 'agent_wait_time',
    label: 'Agent wait time',
    kind: 'duration',
    description: `Time we waited on the customer: the ticket was Pending. ${CYCLE} One sample per cycle.`,
    start: 'The cycle’s start (handoff or reopen).',
    stop: 'The solve that ends the cycle; only time in Pending is summed.',
    creditedTo: 'The assignee when the ticket was solved; the ticket’s group then.',
    countsOn: 'The moment the ticket was solved.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: true,
    source: 'ticket',
  },
  {
    id: 'resolution_time',
    label: 'Resolution time',
    kind: 'duration',
    description: `Elapsed time to solve the ticket. ${CYCLE} One sample per cycle.`,
    start: 'The cycle’s start (handoff or reopen).',
    stop: 'The ticket becomes Solved.',
    creditedTo: 'The assignee when the ticket was solved; the ticket’s group then.',
    countsOn: 'The moment the ticket was solved.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: true,
    source: 'ticket',
  },
  {
    id: 'handle_time',
    label: 'Handle time',
    kind: 'duration',
    description:
      'Time an agent spent owning the ticket while it needed them: assigned to them and New or Open (for a live chat, only while its session is active). One sample per agent per stint: a stint ends when the assignee changes or the ticket is solved.',
    start: 'The agent is assigned (an accepted offer, a transfer, a reassignment).',
    stop: 'The assignee changes or the ticket is solved; Pending and On-hold time is not counted.',
    creditedTo: 'The assigned agent; the ticket’s group when the stint ended.',
    countsOn: 'The moment the stint ended.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: true,
    source: 'ticket',
  },
  {
    id: 'wrap_up_time',
    label: 'Wrap-up time',
    kind: 'duration',
    description:
      'Time between the end of a live chat and the agent recording its wrap-up reasons (zero when they are picked as the chat is ended).',
    start: 'The chat’s session ends.',
    stop: 'Wrap-up reasons are recorded.',
    creditedTo: 'The agent who recorded the wrap-up; the ticket’s group then.',
    countsOn: 'The moment the wrap-up was recorded.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: true,
    source: 'ticket',
  },
  {
    id: 'queue_wait_time',
    label: 'Queue wait time',
    kind: 'duration',
    description:
      'Time a ticket waited in the routing queue before an agent took it. Each time it goes back to the queue (declined, missed, requeued) the wait continues from the first queuing until an agent is assigned.',
    start: 'The ticket enters the routing queue.',
    stop: 'An agent is assigned.',
    creditedTo: 'The agent assigned; the ticket’s group then.',
    countsOn: 'The moment the agent was assigned.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: true,
    source: 'ticket',
  },
  {
    id: 'offers_made',
    label: 'Offers made',
    kind: 'count',
    description: 'Tickets offered to agents by routing (auto-accepted offers included).',
    start: 'An offer is made.',
    stop: '—',
    creditedTo: 'The agent offered; the ticket’s group then.',
    countsOn: 'The moment of the offer.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: false,
    source: 'ticket',
  },
  {
    id: 'offers_accepted',
    label: 'Offers accepted',
    kind: 'count',
    description: 'Offers the agent accepted.',
    start: 'An offer is accepted.',
    stop: '—',
    creditedTo: 'The agent offered; the ticket’s group then.',
    countsOn: 'The moment of the answer.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: false,
    source: 'ticket',
  },
  {
    id: 'offers_declined',
    label: 'Offers declined',
    kind: 'count',
    description: 'Offers the agent declined.',
    start: 'An offer is declined.',
    stop: '—',
    creditedTo: 'The agent offered; the ticket’s group then.',
    countsOn: 'The moment of the answer.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: false,
    source: 'ticket',
  },
  {
    id: 'offers_missed',
    label: 'Offers missed (RONA)',
    kind: 'count',
    description:
      'Offers that timed out unanswered (redirect on no answer: the agent is put in RONA).',
    start: 'An offer times out.',
    stop: '—',
    creditedTo: 'The agent offered; the ticket’s group then.',
    countsOn: 'The moment the offer timed out.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: false,
    source: 'ticket',
  },
  {
    id: 'abandoned',
    label: 'Abandoned',
    kind: 'count',
    description:
      'Live chats whose customer left (or whose session ended otherwise than by an agent) before any agent wrote a public reply.',
    start: 'The session ends with no public agent reply on the ticket yet.',
    stop: '—',
    creditedTo: 'No agent; the ticket’s group then.',
    countsOn: 'The moment the session ended.',
    dimensions: ['group', 'channel'],
    businessHours: false,
    source: 'ticket',
  },
  {
    id: 'reopens',
    label: 'Reopens',
    kind: 'count',
    description: 'Solved tickets that became open again (usually a customer reply).',
    start: 'The status goes from Solved to New, Open, Pending or On-hold.',
    stop: '—',
    creditedTo: 'The assignee at the reopen; the ticket’s group then.',
    countsOn: 'The moment of the reopen.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: false,
    source: 'ticket',
  },
  {
    id: 'one_touch_resolution',
    label: 'One-touch resolution',
    kind: 'ratio',
    description:
      'Share of solved tickets solved with exactly one public agent reply and never reopened. Each solved ticket is one sample, at its latest solve; a ticket reopened and not yet solved again has none.',
    start: 'The ticket is solved (its latest solve).',
    stop: 'Denominator: solved tickets; numerator: those with one public agent reply and no reopen.',
    creditedTo: 'The assignee at that solve; the ticket’s group then.',
    countsOn: 'The moment of the latest solve.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: false,
    source: 'ticket',
  },
  {
    id: 'csat_score',
    label: 'CSAT score',
    kind: 'ratio',
    description: 'Share of answered satisfaction surveys rated good (bad counts against).',
    start: 'A survey is answered.',
    stop: 'Denominator: answered surveys; numerator: those rated good.',
    creditedTo: 'The assignee when the survey was answered; the ticket’s group then.',
    countsOn: 'The moment of the answer.',
    dimensions: TICKET_DIMENSIONS,
    businessHours: false,
    source: 'ticket',
  },
  {
    id: 'agent_status_time',
    label: 'Agent time per status',
    kind: 'duration',
    description:
      'Time agents spent in each status (Available, Idle, RONA, Offline), cut at bucket boundaries so a long stretch is spread over the hours and days it covered. n is the number of status stretches touching the row.',
    start: 'The agent enters a status.',
    stop: 'The agent leaves it (or the end of the range, or now).',
    creditedTo: 'The agent.',
    countsOn: 'Every bucket the time falls in, split at the bucket’s boundary.',
    dimensions: ['agent', 'status'],
    businessHours: false,
    source: 'agent_status',
  },
  {
    id: 'occupancy',
    label: 'Occupancy',
    kind: 'ratio',
    description:
      'Share of an agent’s logged-in time (any status but Offline) spent handling at least one ticket (the handle-time spans, concurrent chats counted once). n is the number of agents with logged-in time in the row.',
    start: 'Numerator: handle-time spans merged per agent (at most the logged-in time).',
    stop: 'Denominator: time in Available, Idle or RONA.',
    creditedTo: 'The agent.',
    countsOn: 'Every bucket the time falls in, split at the bucket’s boundary.',
    dimensions: ['agent'],
    businessHours: false,
    source: 'agent_status',
  },
];

const BY_ID = new Map(METRICS.map((m) => [m.id, m]));

export function metricDefinition(id: MetricId): MetricDefinition {
  const definition = BY_ID.get(id);
  if (!definition) throw new Error(`No metric ${id}`);
  return definition;
}
