import { compileTriggers, type Automation, type CompiledTriggers } from '@parlour/core';
import {
  activeWorkflowTriggerTypes,
  listAutomations,
  listTriggers,
  type Db,
} from '@parlour/storage';
import type { Bus, Unsubscribe } from '../../bus/bus.js';

export const RULES_TOPIC = 'rules:changed';

/** The active rules, compiled once per change. */
export interface ActiveRules {
  readonly triggers: CompiledTriggers;
  readonly triggerCount: number;
  readonly automations: readonly Automation[];
  /** Whether any automation is "once per ticket" (then firings must be read). */
  readonly anyOncePerTicket: boolean;
  /** The kinds of event that start some active published workflow (others need no lookup). */
  readonly workflowTriggers: ReadonlySet<string>;
}

/** How long a process trusts its copy without hearing of a change (a lost bus signal heals). */
const MAX_AGE_MS = 5_000;

/**
 * Each process keeps the compiled triggers and automations in memory: a ticket update must not
 * read 1,000 rules from the database. A save in this process drops the copy at once; other
 * processes hear of it on the bus, and in any case reload after five seconds.
 */
export class RulesCache {
  private current: { rules: ActiveRules; loadedAt: number; generation: number } | null = null;
  private generation = 0;
  private unsubscribe: Unsubscribe | null = null;

  constructor(
    private readonly bus: Bus,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(RULES_TOPIC, () => this.invalidate());
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.unsubscribe = null;
  }

  invalidate(): void {
    this.generation += 1;
    this.current = null;
  }

  /** Tell every process (this one at once) that rules changed. */
  async changed(): Promise<void> {
    this.invalidate();
    await this.bus.publish(RULES_TOPIC, { at: Date.now() });
  }

  /** Reads through `db` (the caller's transaction) when the copy is missing or old. */
  async get(db: Db): Promise<ActiveRules> {
    const cached = this.current;
    if (
      cached &&
      cached.generation === this.generation &&
      this.now() - cached.loadedAt < MAX_AGE_MS
    )
      return cached.rules;
    const generation = this.generation;
    const [triggers, automations, workflowTriggers] = await Promise.all([
      listTriggers(db),
      listAutomations(db),
      activeWorkflowTriggerTypes(db),
    ]);
    const active = triggers.filter((t) => t.active);
    const activeAutomations = automations.filter((a) => a.active);
    const rules: ActiveRules = {
      triggers: compileTriggers(active),
      triggerCount: active.length,
      automations: activeAutomations,
      anyOncePerTicket: activeAutomations.some((a) => a.oncePerTicket),
      workflowTriggers: new Set(workflowTriggers),
    };
    if (generation === this.generation) this.current = { rules, loadedAt: this.now(), generation };
    return rules;
  }
}
