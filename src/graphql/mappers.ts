/** Mapper types the schema's objects resolve from, where they are not plain table rows. */
import type { LabelRow, MembershipRow, VersionRow, WorkspaceRow } from '../db/schema';

export type LabelMapper = LabelRow & { protected: boolean };
export type VersionDiffMapper = { from: VersionRow; to: VersionRow; templateDiff: string; changes: { field: string; from: unknown; to: unknown }[] };
export type { Principal as PrincipalMapper } from '../auth/principal';
export type { ResolvedPrompt as ResolvedPromptMapper } from '../prompts/resolution-cache';
export type MembershipMapper = MembershipRow & { workspace: WorkspaceRow };
export type { Actor as ActorMapper } from '../auth/principal';
export type { Member as MemberMapper } from '../people/member-service';
export type { CreatedInvitation as CreatedInvitationMapper } from '../people/invitation-service';
