export const PG_TEMPLATE_DB = 'parlour_template';
export const PGLITE_TEMPLATE_FILE_ENV = 'PARLOUR_PGLITE_TEMPLATE';
