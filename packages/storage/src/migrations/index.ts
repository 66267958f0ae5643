import { foundation } from './001-foundation.js';
import { routing } from './002-routing.js';

export interface Migration {
  readonly version: string;
  readonly sql: string;
}

/** One migration set for PostgreSQL and PGlite, applied in order, each once. */
export const MIGRATIONS: readonly Migration[] = [
  { version: '001-foundation', sql: foundation },
  { version: '002-routing', sql: routing },
];
