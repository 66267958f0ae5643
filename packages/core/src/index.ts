export { DomainError, isDomainError } from './errors.js';
export type { DomainErrorCode } from './errors.js';
export { CHANNELS } from './channel.js';
export type { Channel } from './channel.js';
export { ROLES, actorId, isStaff } from './identity/actor.js';
export type { Actor, ActorType, Role } from './identity/actor.js';
export { TICKET_STATUSES, TICKET_PRIORITIES } from './ticket/ticket.js';
export type { Ticket, TicketStatus, TicketPriority } from './ticket/ticket.js';
export type {
  ContentRedactedEventData,
  RedactionSource,
  RoutingEventData,
  RuleEventData,
  TicketEvent,
  TicketEventData,
  TicketEventType,
} from './ticket/ticket-event.js';
export {
  canTransition,
  assertTransition,
  REOPENED_BY_CUSTOMER_REPLY,
} from './ticket/status-transitions.js';
export { normalizeTags } from './ticket/tags.js';
export { updateTicket } from './ticket/update-ticket.js';
export type { TicketPatch, TicketChange } from './ticket/update-ticket.js';
export { createTicket } from './ticket/create-ticket.js';
export type { NewTicket } from './ticket/create-ticket.js';
export { SESSION_END_REASONS } from './session/session.js';
export type { Session, SessionState, SessionEndReason } from './session/session.js';
export { endSession } from './session/end-session.js';
export type { Conversation, ConversationStatus } from './conversation/conversation.js';
export { messagingOpen } from './conversation/conversation-state.js';
export type { ConversationState } from './conversation/conversation-state.js';
export { closeOnTicketClosed } from './conversation/close-on-ticket-closed.js';
export { composerOptions } from './conversation/composer.js';
export type { ComposerChannel, ComposerOptions } from './conversation/composer.js';
export type { ClosureEffects } from './conversation/close-on-ticket-closed.js';
export { endConversationSession } from './conversation/leave-conversation.js';
export type { SessionEnding } from './conversation/leave-conversation.js';
export { handOff } from './conversation/hand-off.js';
export type { HandoffInput, Handoff } from './conversation/hand-off.js';
export { MESSAGE_KINDS, MAX_MESSAGE_LENGTH } from './message/message.js';
export type { Message, MessageKind, MessageAuthorType, QuickReply } from './message/message.js';
export { decideMessage } from './message/decide-message.js';
export type { MessageInput, MessageDecision } from './message/decide-message.js';
export { AGENT_STATUSES, changeAgentStatus } from './routing/agent-status.js';
export type { AgentStatus } from './routing/agent-status.js';
export { CAPACITY_CHANNELS, capacityChannelOf, capacityUsedBy } from './routing/capacity.js';
export type { CapacityChannel } from './routing/capacity.js';
export { STRATEGIES, spareCapacity, withPlannedOffer } from './routing/agent-snapshot.js';
export type { AgentSnapshot, GroupRouting, Strategy } from './routing/agent-snapshot.js';
export type { QueuedTicket } from './routing/queued-ticket.js';
export { MAX_EXPLAINED, PASS_REASONS } from './routing/decision.js';
export type { Consideration, Decision, PassReason } from './routing/decision.js';
export { strategyOrder } from './routing/strategy-order.js';
export { pickAgent } from './routing/pick-agent.js';
export { compareQueueOrder, planOffers } from './routing/plan-offers.js';
export type { PlannedOffer } from './routing/plan-offers.js';
export { RoutingIndex } from './routing/routing-index.js';
export type { GroupStanding } from './routing/routing-index.js';
export { SortedList } from './routing/sorted-list.js';
export type { ReadonlySortedList } from './routing/sorted-list.js';
export type {
  Automation,
  Condition,
  ConditionSet,
  ConditionValue,
  EffectAction,
  FieldAction,
  RuleAction,
  RuleActionType,
  RuleField,
  RuleOperator,
  TicketFacts,
  TicketUpdate,
  Trigger,
  TriggerScope,
  UpdateComment,
} from './rules/rule-types.js';
export {
  CHANGE_OPERATORS,
  FIELD_CATALOG,
  PRIORITY_RANK,
  RULE_FIELDS,
  RULE_USAGES,
  TIME_FIELDS,
  VALUELESS_OPERATORS,
  isRuleField,
  isTimeField,
  operatorsFor,
} from './rules/rule-fields.js';
export type { FieldSpec, RuleUsage, RuleValueKind } from './rules/rule-fields.js';
export {
  MAX_ACTIONS,
  MAX_CONDITIONS,
  RULE_ACTION_TYPES,
  findNullifyingCondition,
  isWebUrl,
  validateActions,
  validateAutomationDefinition,
  validateConditionSet,
  validateTriggerDefinition,
} from './rules/validate-rules.js';
export type { AutomationDefinition, TriggerDefinition } from './rules/validate-rules.js';
export {
  conditionsMatch,
  evaluateCondition,
  explainConditions,
} from './rules/evaluate-conditions.js';
export type { ConditionExplanation, ConditionsExplanation } from './rules/evaluate-conditions.js';
export {
  applyFieldActions,
  effectActions,
  isFieldAction,
  ticketPatchOf,
} from './rules/apply-actions.js';
export type { ActionFailure, AppliedActions, TicketFieldAction } from './rules/apply-actions.js';
export {
  compileTriggers,
  explainTriggerRun,
  runTriggers,
  runTriggersNaive,
  triggerInScope,
} from './rules/run-triggers.js';
export type {
  CompiledTriggers,
  RunTriggersOptions,
  TriggerExplanation,
  TriggerFiring,
  TriggerOutcome,
  TriggerRun,
} from './rules/run-triggers.js';
export {
  automationDueAt,
  automationView,
  dueAutomations,
  nextAutomationCheck,
  runAutomations,
} from './rules/automations.js';
export type { AutomationExclusions, AutomationFiring, AutomationRun } from './rules/automations.js';
export {
  USAGE_KINDS,
  usesInActions,
  usesInBotFlow,
  usesInConditions,
  usesInRule,
  usesInWorkflow,
} from './rules/where-used.js';
export type { UsageKind, UsagePlace, UsageTarget } from './rules/where-used.js';
export {
  PLACEHOLDERS,
  UNKNOWN_REQUESTER_NAME,
  renderPlaceholders,
  validatePlaceholders,
} from './text/placeholders.js';
export type { Placeholder, PlaceholderValues } from './text/placeholders.js';
export {
  MAX_WAIT_SECONDS,
  MAX_WORKFLOW_STEPS,
  WORKFLOW_STEP_TYPES,
  WORKFLOW_TRIGGER_TYPES,
} from './workflows/workflow-types.js';
export type {
  ActionStep,
  AssignTarget,
  BranchPath,
  ConversationSource,
  WorkflowDefinition,
  WorkflowEvent,
  WorkflowFieldAction,
  WorkflowStep,
  WorkflowStepType,
  WorkflowTrigger,
  WorkflowTriggerType,
} from './workflows/workflow-types.js';
export { validateWorkflowDefinition } from './workflows/validate-workflow.js';
export { triggerMatches } from './workflows/trigger-matches.js';
export { stepSuccessors } from './workflows/step-successors.js';
export { advanceRun } from './workflows/advance-run.js';
export { chooseAssignee } from './workflows/choose-assignee.js';
export type {
  AssigneeCandidate,
  AssigneeChoice,
  AssigneeRule,
} from './workflows/choose-assignee.js';
export type { BranchDecision, RunAdvance, RunMove, RunPosition } from './workflows/advance-run.js';
export { containsSensitiveData, findSensitiveData } from './redaction/find-sensitive-data.js';
export { inCardRange, isCardNumber, luhnValid } from './redaction/card-number.js';
export { redactSensitiveData } from './redaction/redact-sensitive-data.js';
export type {
  DetectorOptions,
  Finding,
  MaskStyle,
  Redaction,
  RedactionPolicy,
  SensitiveKind,
} from './redaction/sensitive-data.js';
export {
  DEFAULT_PERSON_LABEL,
  NEW_BOT_STATE,
  PERSON_VALUE,
  type BotArticle,
  type BotButton,
  type BotFlow,
  type BotHandoffPlan,
  type BotHandoffTarget,
  type BotNode,
  type BotReply,
  type BotState,
  type BotStep,
  type FieldCheck,
} from './bot/bot-flow.js';
export { startBot, stepBot, type KnownFields } from './bot/step-bot.js';
export { matchArticle, scoreArticle } from './bot/match-article.js';
export { validateFlow, type FlowReferences } from './bot/validate-flow.js';
export { wantsPerson } from './bot/wants-person.js';
export { normalizeText } from './bot/normalize-text.js';
export {
  businessMsBetween,
  isWithinBusinessHours,
  validateSchedule,
} from './business-hours/business-hours.js';
export type { BusinessInterval, BusinessSchedule } from './business-hours/business-hours.js';
export { intlZoneOffset, isValidTimeZone } from './business-hours/time-zone.js';
export type { ZoneOffset } from './business-hours/time-zone.js';
export { METRICS, METRIC_IDS, metricDefinition } from './reports/metric-registry.js';
export type {
  MetricDefinition as ReportMetricDefinition,
  MetricId as ReportMetricId,
  MetricKind as ReportMetricKind,
  MetricSource as ReportMetricSource,
  ReportDimension as ReportMetricDimension,
} from './reports/metric-registry.js';
export { deriveTicketSamples } from './reports/derive-ticket-samples.js';
export type {
  HistoryEvent as ReportHistoryEvent,
  HistoryMessage as ReportHistoryMessage,
  MetricSample,
  TicketHistoryInput,
} from './reports/derive-ticket-samples.js';
export { businessValueOf } from './reports/business-value.js';
