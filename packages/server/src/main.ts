import { ConfigError, loadConfig } from './config.js';
import { DEMO_ACCOUNTS, seedDemo } from './seed-demo.js';
import { createServer } from './server.js';

/** `npm start`: configuration from the environment, the demo workspace on first start, then serve. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const server = await createServer(config);
  const seeded = config.seedDemo
    ? await seedDemo(server.database, server.services, { bot: config.seedDemoBot })
    : false;
  await server.services.agentStatus.recover();
  server.timers.start();
  server.services.routing.start();
  server.services.emailSender.start();
  await server.app.listen({ host: config.host, port: config.port });
  const storage = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
  const bus = config.redisUrl ? 'Redis' : 'in-process';
  const lines = [
    '',
    `Parlour is running at ${config.publicUrl}  (storage: ${storage}; bus: ${bus})`,
    `  Agent workspace: ${config.publicUrl}/agent/`,
    `  Admin console:   ${config.publicUrl}/agent/console  (admins; supervisors: live view, reports, rules)`,
    `  Widget demo:     ${config.publicUrl}/demo  (embed: <script src="${config.publicUrl}/widget.js" async></script>)`,
    `  API:        ${config.publicUrl}/api  (OpenAPI: ${config.publicUrl}/api/openapi.json)`,
    `  WebSocket:  ${config.publicUrl.replace(/^http/, 'ws')}/ws`,
    `  Health:     ${config.publicUrl}/healthz`,
    `  Email:      out ${config.email.smtp ? `by SMTP via ${config.email.smtp.host}:${config.email.smtp.port}` : 'queued only (set SMTP_HOST to send)'}; in ${server.smtpPort !== null ? `SMTP on ${config.email.listenHost}:${server.smtpPort}` : 'by POST /api/email/inbound (set SMTP_LISTEN_PORT for the SMTP listener)'}`,
  ];
  if (config.seedDemo) {
    lines.push(
      seeded ? '  Demo workspace created. Log in with:' : '  Demo logins (if unchanged):',
      `    admin  ${DEMO_ACCOUNTS.admin.email} / ${DEMO_ACCOUNTS.admin.password}`,
      ...DEMO_ACCOUNTS.agents.map((a) => `    agent  ${a.email} / ${a.password}`),
      `  e.g. curl -s ${config.publicUrl}/api/auth/login -H 'content-type: application/json' -d '{"email":"${DEMO_ACCOUNTS.admin.email}","password":"${DEMO_ACCOUNTS.admin.password}"}'`,
    );
  }
  console.log(lines.join('\n') + '\n');

  const stop = async (signal: string) => {
    server.logger.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
