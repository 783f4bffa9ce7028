/** The roles and key scopes a principal can hold (what each allows: permissions.ts). */
export const ROLES = ['VIEWER', 'EDITOR', 'PUBLISHER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];
export const SCOPES = ['prompts:read', 'prompts:resolve', 'metrics:write', 'labels:protected'] as const;
export type Scope = (typeof SCOPES)[number];
