/**
 * Invitations and members, run against each storage mode (people-invitations-*.test.ts): two (and
 * more) people with their own cookie jars; the "Done when" scenario; a member's cookie never
 * reads another workspace. The server was started with ADMIN_EMAIL / ADMIN_PASSWORD (withAdminPerson).
 */
import { sql } from 'drizzle-orm';
import { gql, ok } from '../helpers/graphql';
import { ADMIN_PERSON, Browser, baseUrlOf, cookieWsClient, invitePerson, signIn, signInAdmin, tokenOf } from '../helpers/people';
import { collect } from '../helpers/ws';
import type { TestServer } from '../helpers/server';

const PASSWORD = 'correct-horse-battery-9';
let seq = 0;
/** A person of their own for each test: nothing one test does leaks into another. */
const person = (label: string) => {
  const n = `${label}-${Date.now()}-${++seq}`;
  return { email: `${n}@example.com`, name: `Person ${n}`, password: PASSWORD };
};

const INVITE = 'mutation($e: String!, $r: Role!) { inviteMember(email: $e, role: $r) { acceptUrl emailed invitation { id email role status } } }';
const INVITATIONS =
  '{ invitations { id email role status invitedBy { id name email } createdAt expiresAt lastSentAt acceptedAt acceptedBy { id email name } } }';
const MEMBERS = '{ members { user { id email name } role joinedAt } }';

export function peopleInvitationsSuite(getServer: () => TestServer) {
  let server: TestServer;
  let base: string;
  let admin: Browser;
  beforeAll(async () => {
    server = getServer();
    base = baseUrlOf(server);
    admin = await signInAdmin(server);
  });

  test('Done when: the ADMIN invites an EDITOR and a PUBLISHER; the EDITOR creates a version and cannot move production; the PUBLISHER moves it; history names both people', async () => {
    const eddie = person('editor');
    const pat = person('publisher');
    const editor = await invitePerson(admin, eddie, 'EDITOR');
    const publisher = await invitePerson(admin, pat, 'PUBLISHER');
    // Separate jars, separate sessions.
    expect(editor.browser.cookieHeader()).not.toBe(publisher.browser.cookieHeader());
    expect((await editor.browser.ok('{ me { role user { email } } }')).me).toEqual({ role: 'EDITOR', user: { email: eddie.email } });
    expect((await publisher.browser.ok('{ me { role user { email } } }')).me).toEqual({ role: 'PUBLISHER', user: { email: pat.email } });

    const name = `done-when-${Date.now()}`;
    await admin.ok('mutation($n: String!) { createPrompt(input: { name: $n, version: { template: "v1" } }) { id } }', { n: name });
    const v2 = (await editor.browser.ok('mutation($n: String!) { createVersion(input: { promptName: $n, template: "v2 by the editor" }) { id } }', { n: name }))
      .createVersion.id;
    const refused = await editor.browser.fails(
      'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v) { revision } }',
      { n: name, v: v2 },
      'FORBIDDEN',
    );
    expect(refused.message).toMatch(/protected/);
    await editor.browser.ok('mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "staging", versionId: $v) { revision } }', { n: name, v: v2 });
    await publisher.browser.ok('mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v) { revision } }', {
      n: name,
      v: v2,
    });

    const seen = (
      await publisher.browser.ok(
        'query($n: String!) { prompt(name: $n) { labels { name version { id createdBy { name email } } } labelHistory { label actor { name email } } } }',
        { n: name },
      )
    ).prompt;
    expect(seen.labels.find((l: any) => l.name === 'production').version).toEqual({ id: v2, createdBy: { name: eddie.name, email: eddie.email } });
    expect(seen.labelHistory).toEqual(
      expect.arrayContaining([
        { label: 'production', actor: { name: pat.name, email: pat.email } },
        { label: 'staging', actor: { name: eddie.name, email: eddie.email } },
      ]),
    );
    // The same history read with a key names the people too.
    const byKey = await ok(server.url, server.adminKey, 'query($n: String!) { prompt(name: $n) { labelHistory { label actor { email } } } }', { n: name });
    expect(byKey.prompt.labelHistory.map((h: any) => h.actor.email)).toEqual(expect.arrayContaining([eddie.email, pat.email]));
  });

  test("a member's cookie never reads another workspace: FORBIDDEN with its x-workspace-id, its own workspace without", async () => {
    const { browser } = await invitePerson(admin, person('isolated'), 'ADMIN');
    const other = (await ok(server.url, server.adminKey, 'mutation { createWorkspace(name: "other-tenant") { workspace { id } adminKey } }')).createWorkspace;
    await ok(server.url, other.adminKey, 'mutation { createPrompt(input: { name: "tenant-secret", version: { template: "secret" } }) { id } }');
    for (const q of ['{ prompt(name: "tenant-secret") { id } }', '{ prompts { totalCount } }', MEMBERS, INVITATIONS, '{ auditLog { totalCount } }']) {
      await browser.fails(q, undefined, 'FORBIDDEN', { workspaceId: other.workspace.id });
    }
    await browser.fails(INVITE, { e: 'someone@example.com', r: 'ADMIN' }, 'FORBIDDEN', { workspaceId: other.workspace.id });
    expect((await browser.ok('{ prompt(name: "tenant-secret") { id } }')).prompt).toBeNull();
    // Neither does the WebSocket.
    const closes: number[] = [];
    const ws = cookieWsClient(browser, { workspaceId: other.workspace.id, onClose: (c) => closes.push(c) });
    const sub = collect(ws, 'subscription { promptChanged { promptName } }');
    expect(await sub.waitFor(1, 5000)).toEqual([]);
    expect(sub.errors.length).toBeGreaterThan(0);
    await ws.dispose();
  });

  test('an invitation: the link is shown once, lists as PENDING, creates the account and signs in, then works no more', async () => {
    const p = person('newcomer');
    const created = (await admin.ok(INVITE, { e: p.email.toUpperCase(), r: 'VIEWER' })).inviteMember;
    expect(created.acceptUrl).toMatch(new RegExp(`^${base}/ui/accept-invitation#token=[A-Za-z0-9_-]{43}$`));
    expect(created).toMatchObject({ emailed: false, invitation: { email: p.email, role: 'VIEWER', status: 'PENDING' } });
    const listed = (await admin.ok(INVITATIONS)).invitations.find((i: any) => i.id === created.invitation.id);
    expect(listed).toMatchObject({ status: 'PENDING', invitedBy: { name: 'Admin.Person', email: ADMIN_PERSON.email }, acceptedBy: null });
    expect(new Date(listed.expiresAt).getTime() - new Date(listed.createdAt).getTime()).toBeCloseTo(7 * 86_400_000, -4);
    // The token is nowhere to be read again.
    expect(JSON.stringify(await admin.ok(INVITATIONS))).not.toContain(tokenOf(created.acceptUrl));

    const jar = new Browser(base);
    const bad = await jar.request('/auth/accept-invitation', { json: { token: tokenOf(created.acceptUrl), name: p.name, password: 'short' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const noName = await jar.request('/auth/accept-invitation', { json: { token: tokenOf(created.acceptUrl), password: p.password } });
    expect(noName.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });

    const r = await jar.request('/auth/accept-invitation', { json: { token: tokenOf(created.acceptUrl), name: p.name, password: p.password } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ user: { email: p.email, name: p.name }, role: 'VIEWER', newAccount: true });
    expect((await jar.ok('{ me { role user { email } workspace { name } } }')).me).toEqual({
      role: 'VIEWER',
      user: { email: p.email },
      workspace: { name: 'default' },
    });
    // The new account signs in with its password like anyone.
    await signIn(server, p.email, p.password);

    const again = await new Browser(base).request('/auth/accept-invitation', {
      json: { token: tokenOf(created.acceptUrl), name: 'Thief', password: 'another-long-password-5' },
    });
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'token' });
    const accepted = (await admin.ok(INVITATIONS)).invitations.find((i: any) => i.id === created.invitation.id);
    expect(accepted).toMatchObject({ status: 'ACCEPTED', acceptedBy: { email: p.email, name: p.name } });
    expect(accepted.acceptedAt).not.toBeNull();
    // A member is not invited twice.
    const dup = await admin.gql(INVITE, { e: p.email, r: 'EDITOR' });
    expect(dup.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  test('bad invitation input and bad tokens get clear errors', async () => {
    const bad = await admin.gql(INVITE, { e: 'not an email', r: 'VIEWER' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const role = await admin.gql(INVITE, { e: 'x@example.com', r: 'OWNER' });
    expect(role.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const token of [undefined, 5, 'short', 'A'.repeat(43), { $ne: null }]) {
      const r = await new Browser(base).request('/auth/accept-invitation', { json: { token, name: 'N', password: PASSWORD } });
      expect([r.status, r.body.error.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect((await admin.gql('mutation { acceptInvitation(token: "nope") { id } }')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // A key is nobody: it cannot accept.
    const byKey = await gql(server.url, server.adminKey, 'mutation { acceptInvitation(token: "nope") { id } }');
    expect(byKey.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // From a foreign Origin nothing runs.
    const evil = await new Browser(base, 'https://evil.example').request('/auth/accept-invitation', { json: { token: 'x', name: 'N', password: PASSWORD } });
    expect(evil.status).toBe(403);
  });

  test('a signed-in person joins another workspace with acceptInvitation; the invitation must be for their email; an existing account must sign in first', async () => {
    const p = person('joiner');
    const { browser } = await invitePerson(admin, p, 'VIEWER');
    const ws2 = (await ok(server.url, server.adminKey, 'mutation { createWorkspace(name: "second") { workspace { id } adminKey } }')).createWorkspace;
    const invite = async (email: string) => tokenOf((await ok(server.url, ws2.adminKey, INVITE, { e: email, r: 'EDITOR' })).inviteMember.acceptUrl);

    // Not signed in, with an email that has an account: sign in first.
    const forMe = await invite(p.email);
    const anonymous = await new Browser(base).request('/auth/accept-invitation', { json: { token: forMe, name: 'x', password: PASSWORD } });
    expect([anonymous.status, anonymous.body.error.code]).toEqual([409, 'CONFLICT']);
    // Somebody else's invitation is not mine.
    const forOther = await invite(person('someone-else').email);
    expect((await browser.fails('mutation($t: String!) { acceptInvitation(token: $t) { id } }', { t: forOther }, 'FORBIDDEN')).message).toMatch(
      /another email/,
    );

    const joined = (
      await browser.ok('mutation($t: String!) { acceptInvitation(token: $t) { role workspace { id name } memberships { role workspace { name } } } }', {
        t: forMe,
      })
    ).acceptInvitation;
    expect(joined).toMatchObject({ role: 'EDITOR', workspace: { id: ws2.workspace.id, name: 'second' } });
    expect(joined.memberships).toEqual([
      { role: 'VIEWER', workspace: { name: 'default' } },
      { role: 'EDITOR', workspace: { name: 'second' } },
    ]);
    // The same session works in the new workspace at once, and still in the first.
    await browser.ok('mutation { createPrompt(input: { name: "joined-here" }) { id } }', undefined, { workspaceId: ws2.workspace.id });
    await browser.fails('mutation { createPrompt(input: { name: "joined-here" }) { id } }', undefined, 'FORBIDDEN');
    // Used: a second acceptance (by HTTP with the cookie) finds nothing.
    const replay = await browser.request('/auth/accept-invitation', { json: { token: forMe } });
    expect(replay.status).toBe(404);
    // With the cookie, POST /auth/accept-invitation joins too (what the dashboard calls).
    const third = (await ok(server.url, server.adminKey, 'mutation { createWorkspace(name: "third") { workspace { id } adminKey } }')).createWorkspace;
    const t3 = tokenOf((await ok(server.url, third.adminKey, INVITE, { e: p.email, r: 'VIEWER' })).inviteMember.acceptUrl);
    const viaHttp = await browser.request('/auth/accept-invitation', { json: { token: t3 } });
    expect(viaHttp.body).toMatchObject({ user: { email: p.email }, workspace: { id: third.workspace.id }, role: 'VIEWER', newAccount: false });
  });

  test('resend makes a new link (the old one stops working); revoke ends it; an expired link is refused and can be resent', async () => {
    const p = person('resent');
    const first = (await admin.ok(INVITE, { e: p.email, r: 'EDITOR' })).inviteMember;
    const resent = (
      await admin.ok('mutation($id: ID!) { resendInvitation(id: $id) { acceptUrl invitation { id status expiresAt } } }', { id: first.invitation.id })
    ).resendInvitation;
    expect(resent.invitation).toMatchObject({ id: first.invitation.id, status: 'PENDING' });
    expect(resent.acceptUrl).not.toBe(first.acceptUrl);
    const old = await new Browser(base).request('/auth/accept-invitation', { json: { token: tokenOf(first.acceptUrl), name: p.name, password: p.password } });
    expect(old.status).toBe(404);

    // Expired: refused, listed EXPIRED, and resending revives it with a new link.
    await server.app.services.db.execute(sql`update invitations set expires_at = now() - interval '1 second' where id = ${first.invitation.id}`);
    const expired = await new Browser(base).request('/auth/accept-invitation', {
      json: { token: tokenOf(resent.acceptUrl), name: p.name, password: p.password },
    });
    expect(expired.status).toBe(404);
    expect((await admin.ok(INVITATIONS)).invitations.find((i: any) => i.id === first.invitation.id).status).toBe('EXPIRED');
    const revived = (await admin.ok('mutation($id: ID!) { resendInvitation(id: $id) { acceptUrl } }', { id: first.invitation.id })).resendInvitation;

    const revoked = (await admin.ok('mutation($id: ID!) { revokeInvitation(id: $id) { id status } }', { id: first.invitation.id })).revokeInvitation;
    expect(revoked.status).toBe('REVOKED');
    expect((await admin.ok('mutation($id: ID!) { revokeInvitation(id: $id) { status } }', { id: first.invitation.id })).revokeInvitation.status).toBe(
      'REVOKED',
    );
    const afterRevoke = await new Browser(base).request('/auth/accept-invitation', {
      json: { token: tokenOf(revived.acceptUrl), name: p.name, password: p.password },
    });
    expect(afterRevoke.status).toBe(404);
    await admin.fails('mutation($id: ID!) { resendInvitation(id: $id) { acceptUrl } }', { id: first.invitation.id }, 'CONFLICT');

    // A new invitation of the same email replaces a pending one.
    const a = (await admin.ok(INVITE, { e: p.email, r: 'VIEWER' })).inviteMember;
    const b = (await admin.ok(INVITE, { e: p.email, r: 'PUBLISHER' })).inviteMember;
    const statuses = Object.fromEntries((await admin.ok(INVITATIONS)).invitations.map((i: any) => [i.id, i.status]));
    expect([statuses[a.invitation.id], statuses[b.invitation.id]]).toEqual(['REVOKED', 'PENDING']);
    // An accepted invitation is revoked by removing the member.
    const { invitationId } = await invitePerson(admin, person('accepted'), 'VIEWER');
    await admin.fails('mutation($id: ID!) { revokeInvitation(id: $id) { id } }', { id: invitationId }, 'CONFLICT');
    await admin.fails('mutation { revokeInvitation(id: "not-a-uuid") { id } }', undefined, 'NOT_FOUND');
  });

  test('members (ADMIN) lists people and roles; setMemberRole takes effect at once; the last ADMIN stays', async () => {
    const p = person('promoted');
    const { browser, userId } = await invitePerson(admin, p, 'EDITOR');
    const members = (await admin.ok(MEMBERS)).members;
    expect(members.find((m: any) => m.user.id === userId)).toMatchObject({ role: 'EDITOR', user: { email: p.email, name: p.name } });
    expect(members.find((m: any) => m.user.email === ADMIN_PERSON.email).role).toBe('ADMIN');
    await browser.fails(MEMBERS, undefined, 'FORBIDDEN');
    await browser.fails(INVITE, { e: 'x@example.com', r: 'ADMIN' }, 'FORBIDDEN');
    await browser.fails('mutation($id: ID!) { setMemberRole(userId: $id, role: ADMIN) { role } }', { id: userId }, 'FORBIDDEN');

    const name = `promotion-${Date.now()}`;
    const v = (
      await browser.ok('mutation($n: String!) { createPrompt(input: { name: $n, version: { template: "x" } }) { latestVersion { id } } }', { n: name })
    ).createPrompt.latestVersion.id;
    const move = 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v) { revision } }';
    await browser.fails(move, { n: name, v }, 'FORBIDDEN');
    const set = (await admin.ok('mutation($id: ID!) { setMemberRole(userId: $id, role: PUBLISHER) { role user { email } } }', { id: userId })).setMemberRole;
    expect(set).toEqual({ role: 'PUBLISHER', user: { email: p.email } });
    // No waiting for a cache: the next request has the new role.
    await browser.ok(move, { n: name, v });
    await admin.ok('mutation($id: ID!) { setMemberRole(userId: $id, role: VIEWER) { role } }', { id: userId });
    await browser.fails(move, { n: name, v }, 'FORBIDDEN');

    // A workspace whose only ADMIN person is `solo`: they can be neither demoted nor removed.
    const ws = (await ok(server.url, server.adminKey, 'mutation { createWorkspace(name: "last-admin") { workspace { id } adminKey } }')).createWorkspace;
    const solo = person('solo-admin');
    const t = tokenOf((await ok(server.url, ws.adminKey, INVITE, { e: solo.email, r: 'ADMIN' })).inviteMember.acceptUrl);
    const soloJar = new Browser(base);
    const accepted = await soloJar.request('/auth/accept-invitation', { json: { token: t, name: solo.name, password: solo.password } });
    const soloId = accepted.body.user.id;
    for (const m of ['mutation($id: ID!) { setMemberRole(userId: $id, role: EDITOR) { role } }', 'mutation($id: ID!) { removeMember(userId: $id) { role } }']) {
      const r = await gql(server.url, ws.adminKey, m, { id: soloId });
      expect(r.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    }
    expect((await soloJar.ok('{ me { role } }')).me.role).toBe('ADMIN');
    await admin.fails('mutation { setMemberRole(userId: "00000000-0000-4000-8000-000000000000", role: EDITOR) { role } }', undefined, 'NOT_FOUND');
  });

  test('removeMember: the cookie stops at once (FORBIDDEN, and UNAUTHENTICATED when no workspace is left), sockets close 4403, personal keys are revoked', async () => {
    const p = person('removed');
    const { browser, userId } = await invitePerson(admin, p, 'EDITOR');
    const key = (await browser.ok('mutation { createApiKey(input: { name: "mine", role: EDITOR, personal: true }) { key } }')).createApiKey.key;
    expect((await ok(server.url, key, '{ me { user { email } } }')).me.user.email).toBe(p.email);
    const closes: number[] = [];
    const ws = cookieWsClient(browser, { onClose: (c) => closes.push(c) });
    const sub = collect(ws, 'subscription { promptChanged { promptName } }');
    // Live once a change arrives.
    for (let i = 0; i < 30 && sub.events.length === 0; i++) {
      await admin.ok('mutation($n: String!) { createPrompt(input: { name: $n }) { id } }', { n: `rm-${Date.now()}-${i}` });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sub.events.length).toBeGreaterThan(0);

    const removed = (await admin.ok('mutation($id: ID!) { removeMember(userId: $id) { role user { email } } }', { id: userId })).removeMember;
    expect(removed).toEqual({ role: 'EDITOR', user: { email: p.email } });
    await browser.fails('{ me { id } }', undefined, 'UNAUTHENTICATED');
    expect((await gql(server.url, key, '{ me { id } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (let i = 0; i < 50 && !closes.includes(4403); i++) await new Promise((r) => setTimeout(r, 100));
    expect(closes).toContain(4403);
    await ws.dispose();
    expect((await admin.ok(MEMBERS)).members.map((m: any) => m.user.id)).not.toContain(userId);
    // Signing in again gives a session with no workspace: FORBIDDEN, nothing read.
    const back = await signIn(server, p.email, p.password);
    await back.fails('{ prompts { totalCount } }', undefined, 'FORBIDDEN');
    await admin.fails('mutation($id: ID!) { removeMember(userId: $id) { role } }', { id: userId }, 'NOT_FOUND');
  });

  test('a member of two workspaces removed from one keeps the other; that one is FORBIDDEN at once', async () => {
    const p = person('two-homes');
    const { browser, userId } = await invitePerson(admin, p, 'VIEWER');
    const ws2 = (await ok(server.url, server.adminKey, 'mutation { createWorkspace(name: "home-two") { workspace { id } adminKey } }')).createWorkspace;
    const t = tokenOf((await ok(server.url, ws2.adminKey, INVITE, { e: p.email, r: 'EDITOR' })).inviteMember.acceptUrl);
    await browser.ok('mutation($t: String!) { acceptInvitation(token: $t) { id } }', { t });
    await browser.ok('{ prompts { totalCount } }', undefined, { workspaceId: ws2.workspace.id });
    await ok(server.url, ws2.adminKey, 'mutation($id: ID!) { removeMember(userId: $id) { role } }', { id: userId });
    await browser.fails('{ prompts { totalCount } }', undefined, 'FORBIDDEN', { workspaceId: ws2.workspace.id });
    expect((await browser.ok('{ me { workspace { name } memberships { workspace { name } } } }')).me).toEqual({
      workspace: { name: 'default' },
      memberships: [{ workspace: { name: 'default' } }],
    });
  });

  test('invitations, acceptances, role changes and removals are in the audit log, naming the people', async () => {
    const p = person('audited');
    const { userId, invitationId } = await invitePerson(admin, p, 'VIEWER');
    await admin.ok('mutation($id: ID!) { setMemberRole(userId: $id, role: EDITOR) { role } }', { id: userId });
    await admin.ok('mutation($id: ID!) { removeMember(userId: $id) { role } }', { id: userId });
    const entries = (
      await admin.ok('{ auditLog(first: 200) { edges { node { action targetId target actor { name email } before after } } } }')
    ).auditLog.edges.map((e: any) => e.node);
    const about = (action: string, targetId: string) => entries.find((e: any) => e.action === action && e.targetId === targetId);
    const adminActor = { name: 'Admin.Person', email: ADMIN_PERSON.email };
    expect(about('invitation.create', invitationId)).toMatchObject({ actor: adminActor, target: p.email, after: { role: 'VIEWER' } });
    expect(about('invitation.accept', invitationId)).toMatchObject({ actor: { name: p.name, email: p.email }, after: { newAccount: true } });
    expect(about('member.setRole', userId)).toMatchObject({ actor: adminActor, before: { role: 'VIEWER' }, after: { role: 'EDITOR' } });
    expect(about('member.remove', userId)).toMatchObject({ actor: adminActor, target: p.email, after: { endedSessions: 1 } });
    expect(about('signIn', userId)).toMatchObject({ actor: { name: p.name, email: p.email }, after: { method: 'invitation' } });
  });

  test('password reset: an ADMIN makes a link for a member; it sets the password once and ends every session; a newer link voids the older', async () => {
    const p = person('reset');
    const { browser, userId } = await invitePerson(admin, p, 'EDITOR');
    const second = await signIn(server, p.email, p.password);
    const make = async () => (await admin.ok('mutation($id: ID!) { createPasswordResetLink(userId: $id) }', { id: userId })).createPasswordResetLink as string;
    const older = await make();
    expect(older).toMatch(new RegExp(`^${base}/ui/reset-password#token=[A-Za-z0-9_-]{43}$`));
    const link = await make();
    const reset = (token: string, password: string) => new Browser(base).request('/auth/reset-password', { json: { token, password } });
    expect((await reset(tokenOf(older), 'a-new-password-for-reset-1')).status).toBe(404);
    // Nothing changes until the link is used.
    await browser.ok('{ me { id } }');
    const weak = await reset(tokenOf(link), 'password1234');
    expect([weak.status, weak.body.error.code, weak.body.error.field]).toEqual([400, 'BAD_USER_INPUT', 'password']);

    const done = await reset(tokenOf(link), 'a-new-password-for-reset-1');
    expect(done.status).toBe(200);
    expect(done.body.user).toMatchObject({ id: userId, email: p.email });
    await browser.fails('{ me { id } }', undefined, 'UNAUTHENTICATED');
    await second.fails('{ me { id } }', undefined, 'UNAUTHENTICATED');
    expect((await new Browser(base).signIn(p.email, p.password)).status).toBe(401);
    await signIn(server, p.email, 'a-new-password-for-reset-1');
    expect((await reset(tokenOf(link), 'yet-another-password-2')).status).toBe(404);

    // Expired links are refused.
    const expiring = await make();
    await server.app.services.db.execute(sql`update password_resets set expires_at = now() - interval '1 second' where used_at is null`);
    expect((await reset(tokenOf(expiring), 'yet-another-password-2')).status).toBe(404);
    for (const token of [undefined, 'short', 'B'.repeat(43)]) expect((await reset(token as string, 'yet-another-password-2')).status).toBe(404);

    const audit = (await admin.ok('{ auditLog(first: 200) { edges { node { action targetId actor { email } after } } } }')).auditLog.edges.map(
      (e: any) => e.node,
    );
    expect(audit.filter((e: any) => e.action === 'passwordReset.create' && e.targetId === userId)).toHaveLength(3);
    expect(audit.find((e: any) => e.action === 'user.resetPassword' && e.targetId === userId)).toMatchObject({
      actor: { email: p.email },
      after: { endedSessions: 2 },
    });
  });

  test('password reset is for ADMINs, for members only, and never reaches further than the caller: not a member elsewhere, not an instance admin', async () => {
    const { browser: editor } = await invitePerson(admin, person('not-admin'), 'EDITOR');
    const { userId: target } = await invitePerson(admin, person('target'), 'VIEWER');
    await editor.fails('mutation($id: ID!) { createPasswordResetLink(userId: $id) }', { id: target }, 'FORBIDDEN');
    await admin.fails('mutation { createPasswordResetLink(userId: "00000000-0000-4000-8000-000000000000") }', undefined, 'NOT_FOUND');

    // An ADMIN (person) of the default workspace only: a member who also belongs to a workspace they do not administer is out of reach.
    const { browser: localAdmin } = await invitePerson(admin, person('local-admin'), 'ADMIN');
    const wide = person('wide');
    const { browser: wideJar, userId: wideId } = await invitePerson(admin, wide, 'VIEWER');
    const elsewhere = (await ok(server.url, server.adminKey, 'mutation { createWorkspace(name: "elsewhere") { workspace { id } adminKey } }')).createWorkspace;
    const t = tokenOf((await ok(server.url, elsewhere.adminKey, INVITE, { e: wide.email, r: 'ADMIN' })).inviteMember.acceptUrl);
    await wideJar.ok('mutation($t: String!) { acceptInvitation(token: $t) { id } }', { t });
    expect((await localAdmin.fails('mutation($id: ID!) { createPasswordResetLink(userId: $id) }', { id: wideId }, 'FORBIDDEN')).message).toMatch(/workspace/);
    // The first person is an instance admin: only an instance admin resets them.
    const firstId = (await admin.ok('{ me { user { id } } }')).me.user.id;
    await localAdmin.fails('mutation($id: ID!) { createPasswordResetLink(userId: $id) }', { id: firstId }, 'FORBIDDEN');
    // The instance admin may.
    await admin.ok('mutation($id: ID!) { createPasswordResetLink(userId: $id) }', { id: wideId });
    await localAdmin.ok('mutation($id: ID!) { createPasswordResetLink(userId: $id) }', { id: target });
  });

  test("every sign-in, failure, sign-out, session revocation and password change of a member is in their workspace's audit log", async () => {
    const p = person('on-record');
    const { browser, userId } = await invitePerson(admin, p, 'VIEWER');
    const other = await signIn(server, p.email, p.password);
    expect((await new Browser(base).signIn(p.email, 'a-wrong-password-000')).status).toBe(401);
    const otherId = (await other.ok('{ sessions { id current } }')).sessions.find((x: any) => x.current).id;
    await browser.ok('mutation($id: ID!) { revokeSession(id: $id) { id } }', { id: otherId });
    await browser.ok('mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', {
      c: p.password,
      n: 'a-changed-password-44',
    });
    expect((await browser.request('/auth/sign-out', { method: 'POST' })).status).toBe(200);

    const entries = (
      await admin.ok('query($t: ID) { auditLog(first: 100, filter: { targetId: $t }) { edges { node { action actor { name email } after } } } }', { t: userId })
    ).auditLog.edges.map((e: any) => e.node);
    const actions = entries.map((e: any) => e.action);
    for (const action of ['signIn', 'signIn.failed', 'session.revoke', 'user.changePassword', 'signOut']) expect(actions).toContain(action);
    const me = { name: p.name, email: p.email };
    expect(entries.find((e: any) => e.action === 'session.revoke')).toMatchObject({ actor: me, after: { sessionId: otherId } });
    expect(entries.find((e: any) => e.action === 'signIn.failed')).toMatchObject({ after: { reason: 'wrong password' } });
    expect(entries.filter((e: any) => e.action === 'signIn').map((e: any) => e.after.method)).toEqual(expect.arrayContaining(['invitation', 'password']));
  });

  test("a person's own key never exceeds their role: refused above it at creation, lowered at once when their role is, never raised above its own", async () => {
    const p = person('key-owner');
    const { browser, userId } = await invitePerson(admin, p, 'EDITOR');
    const create = (role: string, personal = true) =>
      browser.gql('mutation($r: Role!, $p: Boolean) { createApiKey(input: { name: "mine", role: $r, personal: $p }) { key } }', { r: role, p: personal });
    expect((await create('PUBLISHER')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await create('EDITOR', false)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const key = (await create('EDITOR')).data!.createApiKey.key;
    const write = 'mutation($n: String!) { createPrompt(input: { name: $n }) { createdBy { email } } }';
    expect((await ok(server.url, key, write, { n: `by-key-${Date.now()}` })).createPrompt.createdBy.email).toBe(p.email);

    await admin.ok('mutation($id: ID!) { setMemberRole(userId: $id, role: VIEWER) { role } }', { id: userId });
    expect((await ok(server.url, key, '{ me { role } }')).me.role).toBe('VIEWER');
    expect((await gql(server.url, key, write, { n: `refused-${Date.now()}` })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await admin.ok('mutation($id: ID!) { setMemberRole(userId: $id, role: ADMIN) { role } }', { id: userId });
    expect((await ok(server.url, key, '{ me { role } }')).me.role).toBe('EDITOR');
    expect((await gql(server.url, key, '{ auditLog { totalCount } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('an instance admin person who creates a workspace is its ADMIN member at once; a person who is not an instance admin cannot create one', async () => {
    const created = (await admin.ok('mutation { createWorkspace(name: "a-person-made-this") { workspace { id name } } }')).createWorkspace.workspace;
    const opts = { workspaceId: created.id };
    expect((await admin.ok('{ me { role workspace { id } } }', undefined, opts)).me).toEqual({ role: 'ADMIN', workspace: { id: created.id } });
    expect((await admin.ok(MEMBERS, undefined, opts)).members.map((m: any) => [m.user.email, m.role])).toEqual([[ADMIN_PERSON.email, 'ADMIN']]);
    expect((await admin.ok('{ me { memberships { role workspace { name } } } }')).me.memberships).toContainEqual({
      role: 'ADMIN',
      workspace: { name: 'a-person-made-this' },
    });
    // They can invite people there right away.
    await admin.ok(INVITE, { e: person('first-of-new').email, r: 'EDITOR' }, opts);
    const { browser } = await invitePerson(admin, person('plain-admin'), 'ADMIN');
    await browser.fails('mutation { createWorkspace(name: "not-allowed") { workspace { id } } }', undefined, 'FORBIDDEN');
  });

  test('an invitation link raced by two browsers is used once: one account, the other answer 404', async () => {
    const p = person('raced');
    const token = tokenOf((await admin.ok(INVITE, { e: p.email, r: 'VIEWER' })).inviteMember.acceptUrl);
    const accept = (name: string) => new Browser(base).request('/auth/accept-invitation', { json: { token, name, password: p.password } });
    const answers = await Promise.all([accept('First Racer'), accept('Second Racer'), accept('Third Racer')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404, 404]);
    const members = (await admin.ok(MEMBERS)).members.filter((m: any) => m.user.email === p.email);
    expect(members).toHaveLength(1);
  });

  test('two ADMINs demoting each other at the same moment leave one ADMIN: one change wins, the other is CONFLICT', async () => {
    const ws = (await ok(server.url, server.adminKey, 'mutation { createWorkspace(name: "two-admins") { workspace { id } adminKey } }')).createWorkspace;
    const join = async (label: string) => {
      const p = person(label);
      const t = tokenOf((await ok(server.url, ws.adminKey, INVITE, { e: p.email, r: 'ADMIN' })).inviteMember.acceptUrl);
      const jar = new Browser(base);
      const r = await jar.request('/auth/accept-invitation', { json: { token: t, name: p.name, password: p.password } });
      return { jar, id: r.body.user.id as string };
    };
    const [x, y] = [await join('admin-x'), await join('admin-y')];
    const demote = (by: Browser, id: string) =>
      by.gql('mutation($id: ID!) { setMemberRole(userId: $id, role: VIEWER) { role } }', { id }, { workspaceId: ws.workspace.id });
    const [rx, ry] = await Promise.all([demote(x.jar, y.id), demote(y.jar, x.id)]);
    const codes = [rx, ry].map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    // The loser was either refused as the last ADMIN, or had lost ADMIN before its turn came.
    expect(codes[1]).toBe('OK');
    expect(['CONFLICT', 'FORBIDDEN']).toContain(codes[0]);
    const roles = (await ok(server.url, ws.adminKey, MEMBERS)).members.map((m: any) => m.role).sort();
    expect(roles).toEqual(['ADMIN', 'VIEWER']);
  });
}
