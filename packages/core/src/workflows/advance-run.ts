import { explainConditions, type ConditionsExplanation } from '../rules/evaluate-conditions.js';
import type { TicketUpdate } from '../rules/rule-types.js';
import type { ActionStep, WorkflowDefinition, WorkflowStep } from './workflow-types.js';

/** Where a run stands: the step it runs next. */
export interface RunPosition {
  /** The step to run next; null when the step before had no next (nothing is left). */
  readonly stepId: string | null;
  /** The Wait at `stepId` is over (its timer fired): the run goes on after it. */
  readonly waitOver?: boolean;
}

/** A Branch the run went through, and where it led. */
export interface BranchDecision {
  readonly stepId: string;
  /** The index of the branch taken, 'otherwise', or null when none matched and there is no otherwise. */
  readonly taken: number | 'otherwise' | null;
  /** The step it leads to; null ends the run. */
  readonly next: string | null;
  /** Each branch looked at, in order, up to the one taken: what each condition saw. */
  readonly checked: readonly ConditionsExplanation[];
}

export type RunMove =
  /** The server performs this step, records its outcome, then advances from `next`. */
  | {
      readonly type: 'perform';
      readonly stepId: string;
      readonly step: ActionStep;
      readonly next: string | null;
    }
  /** The run pauses here until `until`; then it advances from this step with `waitOver`. */
  | {
      readonly type: 'wait';
      readonly stepId: string;
      readonly seconds: number;
      readonly until: Date;
    }
  /** A Branch is next and its conditions need the ticket as it is now: call again with facts. */
  | { readonly type: 'needs_facts'; readonly stepId: string }
  | { readonly type: 'finish' };

export interface RunAdvance {
  /** Branches decided on the way, in order (each is a step outcome to record). */
  readonly branches: readonly BranchDecision[];
  readonly move: RunMove;
}

/**
 * The workflow interpreter: from a run's position, what happens next. Branches are decided here
 * (they only read the ticket); every other step is handed to the server to perform, one at a
 * time, so each step's outcome is recorded before the next one runs and the ticket a Branch looks
 * at includes everything the steps before it did. Validation guarantees every loop has a Wait, so
 * a walk through branches ends within as many steps as the definition has.
 */
export function advanceRun(
  definition: WorkflowDefinition,
  position: RunPosition,
  facts: TicketUpdate | undefined,
  at: Date,
): RunAdvance {
  const branches: BranchDecision[] = [];
  let stepId = position.stepId;
  if (stepId !== null && position.waitOver) {
    const wait = stepOf(definition, stepId);
    if (wait.type !== 'wait') throw new Error(`step "${stepId}" is not a Wait`);
    stepId = wait.next ?? null;
  }
  const limit = Object.keys(definition.steps).length + 1;
  for (let walked = 0; stepId !== null; walked++) {
    if (walked > limit) throw new Error('a workflow walked through branches without end');
    const step = stepOf(definition, stepId);
    if (step.type === 'wait') {
      return {
        branches,
        move: {
          type: 'wait',
          stepId,
          seconds: step.seconds,
          until: new Date(at.getTime() + step.seconds * 1000),
        },
      };
    }
    if (step.type !== 'branch')
      return { branches, move: { type: 'perform', stepId, step, next: step.next ?? null } };
    if (facts === undefined) return { branches, move: { type: 'needs_facts', stepId } };
    const checked: ConditionsExplanation[] = [];
    let index = -1;
    for (const [i, branch] of step.branches.entries()) {
      const explained = explainConditions(branch.conditions, facts);
      checked.push(explained);
      if (explained.matched) {
        index = i;
        break;
      }
    }
    const decision: BranchDecision =
      index >= 0
        ? { stepId, taken: index, next: step.branches[index]!.next, checked }
        : step.otherwise !== undefined
          ? { stepId, taken: 'otherwise', next: step.otherwise, checked }
          : { stepId, taken: null, next: null, checked };
    branches.push(decision);
    stepId = decision.next;
  }
  return { branches, move: { type: 'finish' } };
}

function stepOf(definition: WorkflowDefinition, stepId: string): WorkflowStep {
  const step = Object.hasOwn(definition.steps, stepId) ? definition.steps[stepId] : undefined;
  if (!step) throw new Error(`the workflow has no step "${stepId}"`);
  return step;
}
