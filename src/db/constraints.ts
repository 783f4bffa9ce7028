/**
 * Constraint violations by name. A statement that can break a constraint wraps itself in
 * `onViolation`, naming the constraints it can raise and the domain error each one means; any other
 * failure (another constraint, a lost connection) passes through untouched. Works for both drivers:
 * Drizzle wraps the driver's error in `cause`; postgres.js names the constraint `constraint_name`,
 * PGlite `constraint`.
 */

/** Constraints a statement may name (indexes and constraints of db/schema.ts that callers can hit). */
export type ConstraintName = 'prompts_workspace_name' | 'prompt_versions_prompt_number' | 'ab_tests_one_running' | 'users_email_lower' | 'users_oidc_subject';

export type ConstraintViolation = { code: string; constraint: string };

type DriverError = { code?: unknown; constraint?: unknown; constraint_name?: unknown; cause?: unknown };

/** The violated constraint of a failed statement (SQLSTATE class 23), or null for any other error. */
export function violatedConstraint(err: unknown): ConstraintViolation | null {
  // Walk the cause chain a few levels: Drizzle's DrizzleQueryError → the driver's error.
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const d = e as DriverError;
    const constraint = typeof d.constraint_name === 'string' ? d.constraint_name : typeof d.constraint === 'string' ? d.constraint : null;
    if (typeof d.code === 'string' && d.code.startsWith('23') && constraint) return { code: d.code, constraint };
    e = d.cause;
  }
  return null;
}

/** Runs one statement; a violation of a constraint named in `errors` becomes that error. */
export async function onViolation<T>(statement: PromiseLike<T>, errors: Partial<Record<ConstraintName, () => Error>>): Promise<T> {
  try {
    return await statement;
  } catch (err) {
    const violation = violatedConstraint(err);
    const mapped = violation ? errors[violation.constraint as ConstraintName] : undefined;
    if (mapped) throw mapped();
    throw err;
  }
}
