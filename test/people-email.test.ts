/**
 * With SMTP_URL set, invitation and password-reset links are e-mailed: against a real SMTP server
 * process (smtp-server). The mail carries exactly the link the ADMIN got; a mail server that is down
 * loses nothing (emailed: false, the link still works).
 */
import { Browser, baseUrlOf, invitePerson, signIn, signInAdmin, tokenOf, withAdminPerson } from './helpers/people';
import { startServer, type TestServer } from './helpers/server';
import { startSmtpServer, type SmtpServerProcess } from './helpers/smtp';

let smtp: SmtpServerProcess;
let server: TestServer;
const FROM = 'Prompt service <prompts@example.com>';

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startServer({ env: withAdminPerson({ SMTP_URL: smtp.url, SMTP_FROM: FROM }) });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

const linkIn = (text: string, path: string) => {
  const m = new RegExp(`(https?://\\S+${path}#token=[A-Za-z0-9_-]{43})`).exec(text);
  if (!m) throw new Error(`no ${path} link in:\n${text}`);
  return m[1]!;
};

test('an invitation is e-mailed with its link; resending mails a new link and the old one stops working', async () => {
  const admin = await signInAdmin(server);
  const email = `mailed-${Date.now()}@example.com`;
  const created = (
    await admin.ok('mutation($e: String!) { inviteMember(email: $e, role: EDITOR) { acceptUrl emailed invitation { id lastSentAt } } }', { e: email })
  ).inviteMember;
  expect(created.emailed).toBe(true);
  expect(created.invitation.lastSentAt).not.toBeNull();
  const [mail] = await smtp.waitFor(email);
  expect(mail!.from).toBe('prompts@example.com');
  expect(mail!.subject).toContain('default');
  expect(mail!.text).toContain('EDITOR');
  expect(linkIn(mail!.text, '/ui/accept-invitation')).toBe(created.acceptUrl);

  const resent = (await admin.ok('mutation($id: ID!) { resendInvitation(id: $id) { acceptUrl emailed } }', { id: created.invitation.id })).resendInvitation;
  expect(resent.emailed).toBe(true);
  const mails = await smtp.waitFor(email, 2);
  const second = linkIn(mails[1]!.text, '/ui/accept-invitation');
  expect(second).toBe(resent.acceptUrl);
  const stale = await new Browser(baseUrlOf(server)).request('/auth/accept-invitation', {
    json: { token: tokenOf(linkIn(mails[0]!.text, '/ui/accept-invitation')), name: 'M', password: 'a-long-password-for-mail-1' },
  });
  expect(stale.status).toBe(404);
  const ok = await new Browser(baseUrlOf(server)).request('/auth/accept-invitation', {
    json: { token: tokenOf(second), name: 'Mailed Person', password: 'a-long-password-for-mail-1' },
  });
  expect(ok.status).toBe(200);
});

test('a password-reset link is e-mailed to the member; the link from the mail sets the password', async () => {
  const admin = await signInAdmin(server);
  const p = { email: `forgot-${Date.now()}@example.com`, name: 'Forgot', password: 'the-first-password-22' };
  const { userId } = await invitePerson(admin, p, 'VIEWER');
  const link = (await admin.ok('mutation($id: ID!) { createPasswordResetLink(userId: $id) }', { id: userId })).createPasswordResetLink;
  const mails = await smtp.waitFor(p.email, 2); // the invitation, then the reset
  const mailed = linkIn(mails[1]!.text, '/ui/reset-password');
  expect(mailed).toBe(link);
  expect(mails[1]!.subject).toMatch(/password/i);
  const r = await new Browser(baseUrlOf(server)).request('/auth/reset-password', { json: { token: tokenOf(mailed), password: 'the-second-password-33' } });
  expect(r.status).toBe(200);
  await signIn(server, p.email, 'the-second-password-33');
});

test('with the mail server down the invitation is still made: emailed false, the link works', async () => {
  await smtp.stop();
  const admin = await signInAdmin(server);
  const email = `unmailed-${Date.now()}@example.com`;
  const created = (
    await admin.ok('mutation($e: String!) { inviteMember(email: $e, role: VIEWER) { acceptUrl emailed invitation { status lastSentAt } } }', { e: email })
  ).inviteMember;
  expect(created).toMatchObject({ emailed: false, invitation: { status: 'PENDING', lastSentAt: null } });
  const r = await new Browser(baseUrlOf(server)).request('/auth/accept-invitation', {
    json: { token: tokenOf(created.acceptUrl), name: 'Unmailed', password: 'a-long-password-for-mail-2' },
  });
  expect(r.status).toBe(200);
  expect(server.logs.join('')).toContain('could not send e-mail');
});
