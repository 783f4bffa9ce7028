/** Why a button is disabled, from the prompt's viewerCan… fields and the caller's role (pure). */

type Rights = { viewerCanEdit: boolean; viewerCanPublish: boolean; viewerCanRollback: boolean };

export function roleText(role: string | null | undefined): string {
  return role ? `you are ${role}` : 'this key has scopes only';
}

/** null when allowed, else the reason shown beside the disabled button. */
export function cannotMoveLabel(p: Rights, label: { protected: boolean }, role: string | null | undefined): string | null {
  if (label.protected) return p.viewerCanPublish ? null : `Moving a protected label needs the PUBLISHER or ADMIN role (${roleText(role)}).`;
  return p.viewerCanEdit ? null : `Moving a label needs the EDITOR role or above (${roleText(role)}).`;
}

export function cannotDeploy(p: Rights, role: string | null | undefined): string | null {
  return p.viewerCanPublish ? null : `Deploying to production needs the PUBLISHER or ADMIN role (${roleText(role)}).`;
}

export function cannotRollback(p: Rights, role: string | null | undefined): string | null {
  return p.viewerCanRollback ? null : `Rolling back needs the PUBLISHER or ADMIN role (${roleText(role)}).`;
}

/** The prompt's running A/B test on `label`, if any (a label has at most one). */
export function runningTestOn<T extends { label: string; status: string }>(tests: readonly T[], label: string): T | undefined {
  return tests.find((t) => t.status === 'RUNNING' && t.label === label);
}

/** null unless an A/B test runs on `label`: the test decides where that label goes, so a move by hand is refused (CONFLICT). A rollback stays allowed: it ends the test. */
export function cannotMoveUnderTest(label: string, running: { label: string } | null | undefined): string | null {
  return running?.label === label ? `An A/B test is running on ${label}: conclude or stop it first.` : null;
}

export function cannotManageTests(p: { viewerCanManageTests: boolean }, role: string | null | undefined): string | null {
  return p.viewerCanManageTests ? null : `Starting, ramping, stopping and promoting A/B tests needs the PUBLISHER or ADMIN role (${roleText(role)}).`;
}

export const ROLES = ['VIEWER', 'EDITOR', 'PUBLISHER', 'ADMIN'] as const;
export type RoleName = (typeof ROLES)[number];

/** The roles up to and including `role` (a person's own key is never above their role). */
export function rolesUpTo(role: string | null | undefined): RoleName[] {
  const i = ROLES.indexOf(role as RoleName);
  return i < 0 ? [] : ROLES.slice(0, i + 1);
}

/** null for an ADMIN, else why an admin-only action is disabled. */
export function cannotAdminister(role: string | null | undefined, what: string): string | null {
  return role === 'ADMIN' ? null : `${what} needs the ADMIN role (${roleText(role)}).`;
}
