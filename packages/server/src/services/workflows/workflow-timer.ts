/** The durable timer that runs a workflow run's next steps (due now, or when a Wait ends). */
export const WORKFLOW_TIMER = 'workflow.step';
export const workflowTimerKey = (runId: string) => `workflow:${runId}`;
