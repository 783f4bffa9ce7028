/**
 * Authorization by action name: one role → actions table and one scope → actions table.
 * `assertCan` throws FORBIDDEN, `can` answers. Services call them before reading or writing.
 */
import { ForbiddenError } from '../errors';
import type { Principal } from './principal';
import type { Role, Scope } from './roles';

export type Action =
  | 'prompt:read' // prompts, versions, labels, history, diffs, tests
  | 'prompt:resolve' // resolvePrompt / renderVersion
  | 'prompt:write' // create/update/archive prompts, create versions
  | 'prompt:delete' // deletePrompt (ADMIN)
  | 'label:move' // labels that are not protected
  | 'label:move-protected' // protected labels (production by default)
  | 'prompt:rollback'
  | 'abtest:manage'
  | 'metrics:read'
  | 'metrics:write' // recordCall(s), recordFeedback
  | 'key:manage'
  | 'price:manage'
  | 'workspace:manage' // protected labels
  | 'audit:read'
  | 'webhook:manage' // webhook endpoints, deliveries, secrets
  | 'alert:manage' // create and delete alerts
  | 'alert:read'
  | 'member:manage' // members, invitations, password-reset links
  | 'fleet:read' // the fleet view (which client instances hold which versions)
  | 'fleet:report'; // reportClientState (client instances telling what they hold)

export { ROLES, SCOPES, type Role, type Scope } from './roles';

const VIEWER: Action[] = ['prompt:read', 'prompt:resolve', 'metrics:read', 'alert:read', 'fleet:read', 'fleet:report'];
const EDITOR: Action[] = [...VIEWER, 'prompt:write', 'label:move', 'metrics:write'];
const PUBLISHER: Action[] = [...EDITOR, 'label:move-protected', 'prompt:rollback', 'abtest:manage'];
const ADMIN: Action[] = [
  ...PUBLISHER,
  'prompt:delete',
  'key:manage',
  'price:manage',
  'workspace:manage',
  'audit:read',
  'webhook:manage',
  'alert:manage',
  'member:manage',
];

export const ROLE_ACTIONS: Record<Role, ReadonlySet<Action>> = {
  VIEWER: new Set(VIEWER),
  EDITOR: new Set(EDITOR),
  PUBLISHER: new Set(PUBLISHER),
  ADMIN: new Set(ADMIN),
};

export const SCOPE_ACTIONS: Record<Scope, readonly Action[]> = {
  'prompts:read': ['prompt:read', 'metrics:read', 'fleet:read'],
  'prompts:resolve': ['prompt:resolve', 'fleet:report'],
  'metrics:write': ['metrics:write'],
  'labels:protected': ['prompt:read', 'label:move', 'label:move-protected'],
};

export function can(principal: Principal, action: Action): boolean {
  if (principal.role) return ROLE_ACTIONS[principal.role].has(action);
  return principal.scopes.some((s) => SCOPE_ACTIONS[s].includes(action));
}

export function assertCan(principal: Principal, action: Action): void {
  if (!can(principal, action)) throw new ForbiddenError(`This key may not ${describe(action)}.`);
}

function describe(action: Action): string {
  return {
    'prompt:read': 'read prompts',
    'prompt:resolve': 'resolve prompts',
    'prompt:write': 'change prompts or create versions',
    'prompt:delete': 'delete prompts (needs ADMIN)',
    'label:move': 'move labels',
    'label:move-protected': 'move protected labels (needs PUBLISHER or the labels:protected scope)',
    'prompt:rollback': 'roll back (needs PUBLISHER)',
    'abtest:manage': 'manage A/B tests (needs PUBLISHER)',
    'metrics:read': 'read metrics',
    'metrics:write': 'record calls or feedback',
    'key:manage': 'manage API keys (needs ADMIN)',
    'price:manage': 'set model prices (needs ADMIN)',
    'workspace:manage': 'change workspace settings (needs ADMIN)',
    'audit:read': 'read the audit log (needs ADMIN)',
    'webhook:manage': 'manage webhooks (needs ADMIN)',
    'alert:manage': 'manage alerts (needs ADMIN)',
    'alert:read': 'read alerts',
    'member:manage': 'manage members and invitations (needs ADMIN)',
    'fleet:read': 'read the fleet view',
    'fleet:report': 'report client state (needs prompts:resolve)',
  }[action];
}
