import type { WorkflowEvent, WorkflowTrigger } from './workflow-types.js';

/**
 * Whether an event starts a workflow with this trigger. "Conversation opened" matches its source
 * (or any source); "tag added" matches when the update added that tag; a manual workflow starts
 * only by hand, and nothing else starts by hand.
 */
export function triggerMatches(trigger: WorkflowTrigger, event: WorkflowEvent): boolean {
  switch (trigger.type) {
    case 'conversation_opened':
      return (
        event.type === 'conversation_opened' &&
        (trigger.source === 'any' || trigger.source === event.source)
      );
    case 'tag_added':
      return event.type === 'tag_added' && event.tags.includes(trigger.tag);
    default:
      return event.type === trigger.type;
  }
}
