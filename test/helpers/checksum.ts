/**
 * Row checksums of one workspace's data, table by table (every table of the public schema, found at
 * run time so new tables are covered): a test takes one before and one after and compares them.
 */
import { withSql } from './postgres';

/** Columns that change on reads (throttled last-use stamps) and so say nothing about a side effect. */
const VOLATILE = ['last_used_at'];

export async function workspaceChecksum(databaseUrl: string, workspaceId: string): Promise<Record<string, string>> {
  return withSql(databaseUrl, async (sql) => {
    const columns = await sql<{ table_name: string; column_name: string }[]>`
      select table_name, column_name from information_schema.columns where table_schema = 'public'`;
    const tables = new Map<string, Set<string>>();
    for (const c of columns) tables.set(c.table_name, (tables.get(c.table_name) ?? new Set()).add(c.column_name));
    const out: Record<string, string> = {};
    for (const [table, cols] of [...tables].sort(([a], [b]) => a.localeCompare(b))) {
      let where = 'true';
      if (table === 'workspaces') where = `id = '${workspaceId}'`;
      else if (cols.has('workspace_id')) where = `workspace_id = '${workspaceId}'`;
      else if (cols.has('prompt_id')) where = `prompt_id in (select id from prompts where workspace_id = '${workspaceId}')`;
      const row = `(to_jsonb(t) - array[${VOLATILE.map((v) => `'${v}'`).join(',')}]::text[])::text`;
      const [r] = await sql.unsafe(
        `select count(*)::int as n, coalesce(md5(string_agg(${row}, ',' order by ${row})), '') as h from "${table}" t where ${where}`,
      );
      out[table] = `${r!.n}:${r!.h}`;
    }
    return out;
  });
}
