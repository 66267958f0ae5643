export const PGLITE_TEMPLATE_FILE_ENV = 'PARLOUR_PGLITE_TEMPLATE';
export const PG_TEMPLATE_DB_ENV = 'PARLOUR_PG_TEMPLATE';

/**
 * The PostgreSQL template database of this test run. Each run (the global setup) names its own,
 * so two runs on one server (CI beside a developer's run) never drop each other's template.
 */
export function pgTemplateDb(): string {
  return process.env[PG_TEMPLATE_DB_ENV] ?? 'parlour_template';
}
