import type { WorkflowStep } from './workflow-types.js';

export interface StepEdge {
  /** The step this edge leads to. */
  readonly to: string;
  /** Where the edge is written, relative to the step (`next`, `branches.0.next`, `otherwise`). */
  readonly field: string;
}

/** The steps a step can lead to, in the order a reader sees them. */
export function stepSuccessors(step: WorkflowStep): StepEdge[] {
  if (step.type === 'branch') {
    const edges: StepEdge[] = step.branches.map((b, i) => ({
      to: b.next,
      field: `branches.${i}.next`,
    }));
    if (step.otherwise !== undefined) edges.push({ to: step.otherwise, field: 'otherwise' });
    return edges;
  }
  return step.next === undefined ? [] : [{ to: step.next, field: 'next' }];
}
