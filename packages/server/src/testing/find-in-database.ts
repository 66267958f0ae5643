import type { Db } from '@parlour/storage';
import { sql } from 'kysely';

export interface DatabaseHit {
  readonly table: string;
  readonly needle: string;
  /** The matching row as JSON, cut to the neighbourhood of the match. */
  readonly sample: string;
}

export interface FindOptions {
  /** Match regardless of case (ILIKE). Default: exact case. */
  readonly caseInsensitive?: boolean;
  /** Tables not searched (say why at the call site). */
  readonly exceptTables?: readonly string[];
}

const SAMPLE_AROUND = 80;

/**
 * Searches every row of every table of the current schema for the needles: proof tests ask "is
 * this string anywhere?" (an erased person's email, a raw card number). Each row is read as
 * `row_to_json(t)::text`, every table in one statement, so new tables are searched without
 * changing this. A needle is also looked for as JSON escapes it (quotes, backslashes, control
 * characters) and as hex (how a bytea column reads), so no column type hides it. Built for test
 * databases of a few thousand rows: it scans.
 */
export async function findInDatabase(
  db: Db,
  needles: readonly string[],
  options: FindOptions = {},
): Promise<DatabaseHit[]> {
  const wanted = needles.filter((n) => n.length > 0);
  if (wanted.length === 0) return [];
  const fold = (s: string) => (options.caseInsensitive ? s.toLowerCase() : s);
  const forms = wanted.map((needle) => ({
    needle,
    variants: [
      ...new Set([
        needle,
        JSON.stringify(needle).slice(1, -1),
        Buffer.from(needle, 'utf8').toString('hex'),
      ]),
    ],
  }));
  const patterns = forms.flatMap((f) => f.variants.map((v) => `%${escapeLike(v)}%`));
  const like = options.caseInsensitive ? sql`ILIKE` : sql`LIKE`;
  const except = new Set(options.exceptTables ?? []);
  const tables = (
    await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
       ORDER BY table_name`.execute(db)
  ).rows
    .map((r) => r.name)
    .filter((name) => !except.has(name));

  if (tables.length === 0) return [];
  // Every table in one statement: one round trip, however many tables there are.
  const everyRow = sql.join(
    tables.map(
      (name) => sql`SELECT ${name}::text AS t, row_to_json(x)::text AS j FROM ${sql.table(name)} x`,
    ),
    sql` UNION ALL `,
  );
  const rows = await sql<{ t: string; j: string }>`
    SELECT t, j FROM (${everyRow}) every_row
     WHERE j ${like} ANY(${patterns}::text[])
     ORDER BY t`.execute(db);
  const hits: DatabaseHit[] = [];
  for (const { t: table, j } of rows.rows) {
    const haystack = fold(j);
    for (const { needle, variants } of forms) {
      const at = variants.map((v) => haystack.indexOf(fold(v))).find((i) => i >= 0);
      if (at === undefined) continue;
      hits.push({
        table,
        needle,
        sample: j.slice(Math.max(0, at - SAMPLE_AROUND), at + needle.length + SAMPLE_AROUND),
      });
    }
  }
  return hits;
}

/** LIKE's wildcards and its escape character, taken literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
