import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface ScratchDatabase {
  /** URL of the new, empty database. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** The server to create the scratch database on: BENCH_DATABASE_URL, else DATABASE_URL, else a local default. */
export function adminUrl(): string {
  return process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
}

/** Creates `parlour_bench_<random>` next to the database of `url`; null when PostgreSQL is not reachable. */
export async function createScratchDatabase(url: string): Promise<ScratchDatabase | null> {
  const name = `parlour_bench_${randomBytes(5).toString('hex')}`;
  try {
    await withClient(url, (client) => client.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    if (isUnreachable(error)) return null;
    throw error;
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    name,
    drop: () =>
      withClient(url, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => undefined),
  };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return (
    [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EHOSTUNREACH',
      'ETIMEDOUT',
      'EAI_AGAIN',
      '28P01',
      '28000',
      '3D000',
    ].includes(String(code)) || /timeout|terminated unexpectedly/i.test(message)
  );
}
