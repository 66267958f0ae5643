import type { LiveAgent, LiveModel, LiveQueue, LiveUpdate } from '@parlour/protocol';

/**
 * The live view as the supervisor's screen holds it: the last model, and how far the server's
 * clock is ahead of the browser's (durations tick from the server's "since" times, so a wrong
 * browser clock does not show negative or inflated waits).
 */
export interface ScreenModel {
  readonly model: LiveModel;
  /** Server time minus browser time, in ms, when the last frame arrived. */
  readonly offsetMs: number;
}

const byName = (a: { name: string; id?: string; groupId?: string }, b: typeof a) =>
  a.name.localeCompare(b.name) || (a.id ?? a.groupId ?? '').localeCompare(b.id ?? b.groupId ?? '');

/** The snapshot received at `browserNow` (ms). */
export function fromSnapshot(model: LiveModel, browserNow: number): ScreenModel {
  return { model, offsetMs: Date.parse(model.at) - browserNow };
}

/** An update merged in: changed rows replace theirs (new ones are added in name order), removed rows go. */
export function applyUpdate(
  screen: ScreenModel | null,
  update: LiveUpdate,
  browserNow: number,
): ScreenModel | null {
  if (!screen) return null; // an update before any snapshot has nothing to apply to
  const agents = merge<LiveAgent>(
    screen.model.agents,
    update.agents,
    new Set(update.removedAgentIds),
    (a) => a.id,
  );
  const queues = merge<LiveQueue>(
    screen.model.queues,
    update.queues,
    new Set(update.removedQueueIds),
    (q) => q.groupId,
  );
  return {
    model: { at: update.at, agents, queues },
    offsetMs: Date.parse(update.at) - browserNow,
  };
}

function merge<T extends { name: string }>(
  rows: readonly T[],
  changed: readonly T[],
  removed: ReadonlySet<string>,
  idOf: (row: T) => string,
): T[] {
  const changedById = new Map(changed.map((r) => [idOf(r), r]));
  const out: T[] = [];
  let added = false;
  for (const row of rows) {
    const id = idOf(row);
    if (removed.has(id)) continue;
    out.push(changedById.get(id) ?? row);
    changedById.delete(id);
  }
  for (const row of changedById.values()) {
    out.push(row);
    added = true;
  }
  return added ? out.sort(byName) : out;
}

/** Milliseconds from a server timestamp until now (browser time corrected to the server's). */
export function elapsedMs(sinceIso: string, browserNow: number, offsetMs: number): number {
  return Math.max(0, browserNow + offsetMs - Date.parse(sinceIso));
}

/** "45 s", "3:07" (minutes:seconds), "2 h 05 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}:${String(s % 60).padStart(2, '0')}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export const STATUS_LABEL: Readonly<Record<LiveAgent['status'], string>> = {
  available: 'Available',
  idle: 'Idle',
  rona: 'RONA',
  offline: 'Offline',
};

/** Agents needing attention first (RONA), then Available, Idle, Offline; by name within. */
export function sortAgents(agents: readonly LiveAgent[]): LiveAgent[] {
  const rank = { rona: 0, available: 1, idle: 2, offline: 3 } as const;
  return [...agents].sort((a, b) => rank[a.status] - rank[b.status] || byName(a, b));
}
