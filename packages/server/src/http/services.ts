import type { AuditService } from '../services/audit/audit-service.js';
import type { AuthService } from '../services/auth-service.js';
import type { AttachmentService } from '../services/attachments/attachment-service.js';
import type { ConversationService } from '../services/conversation-service.js';
import type { DirectoryService } from '../services/directory-service.js';
import type { MessageWriter } from '../services/message-writer.js';
import type { SettingsService } from '../services/settings-service.js';
import type { TicketService } from '../services/ticket-service.js';
import type { AgentStatusService } from '../services/routing/agent-status-service.js';
import type { ConferenceService } from '../services/routing/conference-service.js';
import type { RoutingAdminService } from '../services/routing/routing-admin-service.js';
import type { RoutingService } from '../services/routing/routing-service.js';
import type { ConversationStyles } from '../services/rules/conversation-styles.js';
import type { RulesAdminService } from '../services/rules/rules-admin-service.js';
import type { CsatService } from '../services/outbound/csat-service.js';
import type { EmailOutbox } from '../services/outbound/email-outbox.js';
import type { EmailInbound } from '../services/email/email-inbound.js';
import type { EmailSender } from '../services/email/email-sender.js';
import type { WebhookService } from '../services/outbound/webhook-service.js';
import type { ApiInboxService } from '../services/api-channel/api-inbox-service.js';
import type { ApiInbound } from '../services/api-channel/api-inbound.js';
import type { ApiOutbound } from '../services/api-channel/api-outbound.js';
import type { MacroService } from '../services/agent-tools/macro-service.js';
import type { ResponseService } from '../services/agent-tools/response-service.js';
import type { WrapUpService } from '../services/agent-tools/wrap-up-service.js';
import type { WorkflowService } from '../services/workflows/workflow-service.js';
import type { ContentGuard } from '../services/pci/content-guard.js';
import type { PrivacyService } from '../services/privacy/privacy-service.js';
import type { BotAdminService } from '../services/bot/bot-admin-service.js';
import type { ReadStateService } from '../services/activity/read-state-service.js';
import type { ReportService } from '../services/reports/report-service.js';
import type { BusinessHoursService } from '../services/reports/business-hours-service.js';
import type { WhereUsedService } from '../services/where-used/where-used-service.js';
import type { TypingService } from '../services/activity/typing-service.js';
import type { LiveViewActions } from '../services/live-view/live-view-actions.js';
import type { LiveViewHub } from '../services/live-view/live-view-hub.js';
import type { ParlourMetrics } from '../metrics/parlour-metrics.js';

/** The use cases the HTTP and WebSocket edges call. */
export interface Services {
  readonly auth: AuthService;
  readonly attachments: AttachmentService;
  readonly audit: AuditService;
  readonly conversations: ConversationService;
  readonly directory: DirectoryService;
  readonly messages: MessageWriter;
  readonly settings: SettingsService;
  readonly tickets: TicketService;
  readonly routing: RoutingService;
  readonly agentStatus: AgentStatusService;
  readonly routingAdmin: RoutingAdminService;
  readonly conference: ConferenceService;
  readonly rules: RulesAdminService;
  readonly conversationStyles: ConversationStyles;
  readonly csat: CsatService;
  readonly outbox: EmailOutbox;
  /** The email channel: inbound use case, and delivery of the outbox. */
  readonly emailInbound: EmailInbound;
  readonly emailSender: EmailSender;
  readonly webhooks: WebhookService;
  /** The API channel: inboxes, signed inbound messages, webhook deliveries and templates. */
  readonly apiInboxes: ApiInboxService;
  readonly apiInbound: ApiInbound;
  readonly apiOutbound: ApiOutbound;
  readonly macros: MacroService;
  readonly responses: ResponseService;
  readonly wrapUps: WrapUpService;
  readonly workflows: WorkflowService;
  /** PCI DSS: the card-data guard every ingress applies. */
  readonly guard: ContentGuard;
  readonly privacy: PrivacyService;
  /** The conversation bot's flow and articles. */
  readonly bot: BotAdminService;
  /** Typing indicator (ephemeral) and read state. */
  readonly typing: TypingService;
  readonly reads: ReadStateService;
  /** Reports from the metric registry, and business-hours schedules. */
  readonly reports: ReportService;
  readonly businessHours: BusinessHoursService;
  /** The supervisors' live view (pushed over the socket) and its actions, scoped to their groups. */
  readonly liveView: LiveViewHub;
  readonly liveActions: LiveViewActions;
  /** GET /metrics (Prometheus). */
  readonly metrics: ParlourMetrics;
  /** Where a group, agent, tag or field is referred to by rules, workflows, macros, the bot. */
  readonly whereUsed: WhereUsedService;
}
