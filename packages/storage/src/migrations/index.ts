import { foundation } from './001-foundation.js';
import { routing } from './002-routing.js';
import { rules } from './003-rules.js';
import { agentTools } from './004-agent-tools.js';
import { csatOutbox } from './005-csat-outbox.js';
import { workflows } from './006-workflows.js';
import { attachments } from './007-attachments.js';
import { auditLog } from './008-audit-log.js';
import { bot } from './009-bot.js';
import { reads } from './010-reads.js';
import { email } from './011-email.js';
import { apiChannel } from './012-api-channel.js';
import { reports } from './013-reports.js';
import { liveView } from './015-live-view.js';

export interface Migration {
  readonly version: string;
  readonly sql: string;
}

/** One migration set for PostgreSQL and PGlite, applied in order, each once. */
export const MIGRATIONS: readonly Migration[] = [
  { version: '001-foundation', sql: foundation },
  { version: '002-routing', sql: routing },
  { version: '003-rules', sql: rules },
  { version: '004-agent-tools', sql: agentTools },
  { version: '005-csat-outbox', sql: csatOutbox },
  { version: '006-workflows', sql: workflows },
  { version: '007-attachments', sql: attachments },
  { version: '008-audit-log', sql: auditLog },
  { version: '009-bot', sql: bot },
  { version: '010-reads', sql: reads },
  { version: '011-email', sql: email },
  { version: '012-api-channel', sql: apiChannel },
  { version: '013-reports', sql: reports },
  { version: '015-live-view', sql: liveView },
];
