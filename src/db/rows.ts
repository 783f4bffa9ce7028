/** Rows of a raw `db.execute(sql…)`: drivers differ (postgres.js returns the rows array, PGlite `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
