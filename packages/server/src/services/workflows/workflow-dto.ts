import type { Workflow, WorkflowDefinition, WorkflowRun, WorkflowVersion } from '@parlour/protocol';
import type {
  StoredRunStep,
  StoredWorkflow,
  StoredWorkflowRun,
  StoredWorkflowVersion,
} from '@parlour/storage';

// The core's definition is the protocol's outline with every field filled in.
const definitionDto = (d: unknown) => d as WorkflowDefinition;

export function workflowDto(w: StoredWorkflow): Workflow {
  return {
    id: w.id,
    name: w.name,
    active: w.active,
    draft: definitionDto(w.draft),
    publishedVersion: w.publishedVersion,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

export function versionDto(v: StoredWorkflowVersion): WorkflowVersion {
  return {
    workflowId: v.workflowId,
    version: v.version,
    definition: definitionDto(v.definition),
    publishedAt: v.publishedAt.toISOString(),
    publishedBy: v.publishedBy,
  };
}

export function runDto(
  run: StoredWorkflowRun,
  workflowName: string,
  steps: readonly StoredRunStep[],
): WorkflowRun {
  return {
    id: run.id,
    workflowId: run.workflowId,
    workflowName,
    version: run.version,
    conversationId: run.conversationId,
    ticketId: run.ticketId,
    trigger: run.triggerType,
    state: run.state,
    currentStep: run.currentStep,
    startedBy: run.startedBy,
    startedAt: run.startedAt.toISOString(),
    updatedAt: run.updatedAt.toISOString(),
    finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
    steps: steps.map((s) => ({
      stepId: s.stepId,
      stepType: s.stepType,
      outcome: s.outcome,
      detail: s.detail,
      at: s.at.toISOString(),
    })),
  };
}
