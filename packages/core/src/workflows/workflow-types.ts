import type { ConditionSet, FieldAction } from '../rules/rule-types.js';

/**
 * Workflows (seed 003): a published flow of steps that starts on a conversation event and runs
 * one step after another, pausing at Wait steps. A definition is a graph: each step names the step
 * after it (`next`; none means the run ends there), a Branch names one per branch.
 */

/** Who opened the conversation (who created its ticket). */
export type ConversationSource = 'contact' | 'agent' | 'api';

export type WorkflowTrigger =
  | { readonly type: 'conversation_opened'; readonly source: ConversationSource | 'any' }
  | { readonly type: 'conversation_closed' }
  /** A customer message in a conversation that has a ticket. */
  | { readonly type: 'incoming_message' }
  | { readonly type: 'tag_added'; readonly tag: string }
  /** Started by a staff member from the conversation. */
  | { readonly type: 'manual' };

export type WorkflowTriggerType = WorkflowTrigger['type'];

/** What happened to a conversation, as workflows see it. */
export type WorkflowEvent =
  | { readonly type: 'conversation_opened'; readonly source: ConversationSource }
  | { readonly type: 'conversation_closed' }
  | { readonly type: 'incoming_message' }
  /** The tags this update added (normalised). */
  | { readonly type: 'tag_added'; readonly tags: readonly string[] }
  | { readonly type: 'manual' };

export type AssignTarget =
  | { readonly agentId: string }
  | {
      readonly groupId: string;
      readonly strategy: 'round_robin' | 'least_open';
      /** Only agents with a live connection whose status is not Offline. */
      readonly onlyOnline: boolean;
    };

/** The ticket fields an Update ticket step may change. */
export type WorkflowFieldAction = Exclude<FieldAction, { type: 'set_skills' }>;

export interface BranchPath {
  readonly conditions: ConditionSet;
  readonly next: string;
}

export type WorkflowStep =
  | { readonly type: 'assign_to'; readonly target: AssignTarget; readonly next?: string }
  | { readonly type: 'wait'; readonly seconds: number; readonly next?: string }
  /** The first branch whose conditions hold is taken; else `otherwise`; else the run ends. */
  | {
      readonly type: 'branch';
      readonly branches: readonly BranchPath[];
      readonly otherwise?: string;
    }
  /** An internal note on the ticket. */
  | { readonly type: 'comment'; readonly body: string; readonly next?: string }
  /** A public message to the customer. */
  | { readonly type: 'send_message'; readonly body: string; readonly next?: string }
  | {
      readonly type: 'update_ticket';
      readonly actions: readonly WorkflowFieldAction[];
      readonly next?: string;
    }
  | { readonly type: 'add_tag'; readonly tag: string; readonly next?: string }
  /**
   * "Close" as seed 003 says it: the ticket becomes Solved. When a Solved ticket becomes Closed is
   * the conversation style's business (its triggers and automations), as for an agent's solve.
   */
  | { readonly type: 'close_conversation'; readonly next?: string }
  | {
      readonly type: 'http_request';
      readonly url: string;
      readonly method: 'POST';
      /** Sent as the `body` field of the JSON payload, next to the ticket. */
      readonly body?: string;
      readonly next?: string;
    };

export type WorkflowStepType = WorkflowStep['type'];

/** Steps the server performs (they touch the ticket or the outside world). */
export type ActionStep = Exclude<WorkflowStep, { type: 'wait' } | { type: 'branch' }>;

export interface WorkflowDefinition {
  readonly trigger: WorkflowTrigger;
  readonly steps: Readonly<Record<string, WorkflowStep>>;
  /** The id of the first step. */
  readonly start: string;
}

export const WORKFLOW_STEP_TYPES: readonly WorkflowStepType[] = [
  'assign_to',
  'wait',
  'branch',
  'comment',
  'send_message',
  'update_ticket',
  'add_tag',
  'close_conversation',
  'http_request',
];

export const WORKFLOW_TRIGGER_TYPES: readonly WorkflowTriggerType[] = [
  'conversation_opened',
  'conversation_closed',
  'incoming_message',
  'tag_added',
  'manual',
];

/** The longest Wait: 30 days. */
export const MAX_WAIT_SECONDS = 30 * 24 * 60 * 60;
/** A definition has at most this many steps. */
export const MAX_WORKFLOW_STEPS = 100;
