/**
 * The routes behind the dashboard's account pages. POST /auth/invitation tells a link's holder what it
 * is for and where it stands (pending, accepted, revoked, expired). "Forgot your password?" without an ADMIN: POST /auth/request-password-reset e-mails a link (built
 * from PUBLIC_URL, never from the request's Host) to a real SMTP server process; the answer is the
 * same 202 for an unknown email; the link sets the password once; too many requests are RATE_LIMITED;
 * without PUBLIC_URL the route refuses (UNAVAILABLE) and /auth/config says so.
 */
import { Browser, baseUrlOf, signIn, signInAdmin, tokenOf, withAdminPerson, ADMIN_PERSON } from './helpers/people';
import { freePort } from './helpers/oidc';
import { startServer, type TestServer } from './helpers/server';
import { startSmtpServer, type SmtpServerProcess } from './helpers/smtp';

let smtp: SmtpServerProcess;
let server: TestServer;
let publicUrl: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  server = await startServer({ env: withAdminPerson({ PORT: String(port), PUBLIC_URL: publicUrl, SMTP_URL: smtp.url, SMTP_FROM: 'prompts@example.com' }) });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

const linkIn = (text: string) => {
  const m = /(https?:\/\/\S+\/ui\/reset-password#token=[A-Za-z0-9_-]{43})/.exec(text);
  if (!m) throw new Error(`no reset link in:\n${text}`);
  return m[1]!;
};

test('POST /auth/invitation describes a link: workspace, role, email and status; revoked and accepted links say so; an unknown token is NOT_FOUND', async () => {
  const admin = await signInAdmin(server);
  const invite = async (email: string) =>
    (await admin.ok('mutation($e: String!) { inviteMember(email: $e, role: PUBLISHER) { acceptUrl invitation { id } } }', { e: email })).inviteMember;
  const describe = (url: string) => new Browser(baseUrlOf(server)).request('/auth/invitation', { json: { token: tokenOf(url) } });
  const first = await invite('described@example.com');
  const r = await describe(first.acceptUrl);
  expect(r.body).toMatchObject({ status: 'PENDING' });
  expect(r.body).toMatchObject({ status: 'PENDING', email: 'described@example.com', role: 'PUBLISHER', workspace: { name: 'default' } });
  expect(Date.parse(r.body.expiresAt)).toBeGreaterThan(Date.now());

  await admin.ok('mutation($id: ID!) { revokeInvitation(id: $id) { status } }', { id: first.invitation.id });
  expect((await describe(first.acceptUrl)).body.status).toBe('REVOKED');

  const second = await invite('accepted-one@example.com');
  const joined = await new Browser(baseUrlOf(server)).request('/auth/accept-invitation', {
    json: { token: tokenOf(second.acceptUrl), name: 'Accepted One', password: 'a-fine-long-password-77' },
  });
  expect(joined.status).toBe(200);
  expect((await describe(second.acceptUrl)).body.status).toBe('ACCEPTED');

  const unknown = await new Browser(baseUrlOf(server)).request('/auth/invitation', { json: { token: 'x'.repeat(43) } });
  expect(unknown.status).toBe(404);
  expect(unknown.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'token' });
});

test('/auth/config tells the pages the password rules and that self-service reset works', async () => {
  const r = await new Browser(baseUrlOf(server)).request('/auth/config');
  expect(r.body).toMatchObject({ selfServicePasswordReset: true, passwordRules: { minLength: 12, maxLength: 256 } });
});

test('a known email gets a link to /ui/reset-password at PUBLIC_URL; it sets the password once and ends the old sessions', async () => {
  const old = await signIn(server, ADMIN_PERSON.email, ADMIN_PERSON.password);
  // A forged Host must not steer the link elsewhere.
  const asked = await new Browser(baseUrlOf(server)).request('/auth/request-password-reset', {
    json: { email: ADMIN_PERSON.email.toUpperCase() },
    headers: { host: 'evil.example.com' },
  });
  expect(asked.status).toBe(202);
  const [mail] = await smtp.waitFor(ADMIN_PERSON.email);
  const link = linkIn(mail!.text);
  expect(link.startsWith(`${publicUrl}/ui/reset-password#token=`)).toBe(true);
  expect(mail!.subject).toMatch(/reset/i);

  const set = await new Browser(baseUrlOf(server)).request('/auth/reset-password', { json: { token: tokenOf(link), password: 'a-brand-new-password-44' } });
  expect(set.status).toBe(200);
  expect((await old.gql('{ me { id } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  await signIn(server, ADMIN_PERSON.email, 'a-brand-new-password-44');
  const again = await new Browser(baseUrlOf(server)).request('/auth/reset-password', {
    json: { token: tokenOf(link), password: 'a-third-password-for-it-55' },
  });
  expect(again.status).toBe(404);
  expect(again.body.error.code).toBe('NOT_FOUND');

  const audit = await (
    await signIn(server, ADMIN_PERSON.email, 'a-brand-new-password-44')
  ).ok('{ auditLog(filter: { action: "passwordReset.request" }) { edges { node { target after } } } }');
  expect(audit.auditLog.edges[0].node.target).toBe(ADMIN_PERSON.email);
});

test('an unknown email gets the same answer and no mail; bad input is BAD_USER_INPUT with the field', async () => {
  const before = smtp.mails.length;
  const r = await new Browser(baseUrlOf(server)).request('/auth/request-password-reset', { json: { email: 'nobody-here@example.com' } });
  expect(r.status).toBe(202);
  expect(r.body).toEqual({ ok: true });
  const bad = await new Browser(baseUrlOf(server)).request('/auth/request-password-reset', { json: { email: 'not an email' } });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  await new Promise((res) => setTimeout(res, 500));
  expect(smtp.mails.filter((m) => m.to.includes('nobody-here@example.com'))).toHaveLength(0);
  expect(smtp.mails.length).toBe(before);
});

test('a malformed email is refused as everywhere else (assertEmail): BAD_USER_INPUT with the field, no mail', async () => {
  const before = smtp.mails.length;
  // Each has an "@" (the route's own check used to let them through, to answer 202 like an unknown account).
  for (const email of ['two words@example.com', 'no-dot@example', '@example.com']) {
    const r = await new Browser(baseUrlOf(server)).request('/auth/request-password-reset', { json: { email } });
    expect({ email, status: r.status, body: r.body }).toEqual({
      email,
      status: 400,
      body: { error: { code: 'BAD_USER_INPUT', message: 'Give a valid email address.', field: 'email' } },
    });
  }
  await new Promise((res) => setTimeout(res, 300));
  expect(smtp.mails.length).toBe(before);
});

test('requests for one email are limited (no mail-bombing through the form)', async () => {
  const email = 'limited@example.com';
  const codes: number[] = [];
  for (let i = 0; i < 7; i++) codes.push((await new Browser(baseUrlOf(server)).request('/auth/request-password-reset', { json: { email } })).status);
  expect(codes.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
  expect(codes[6]).toBe(429);
});

test('without PUBLIC_URL the route refuses with UNAVAILABLE (ask an ADMIN) and /auth/config says so', async () => {
  const plain = await startServer({ env: withAdminPerson({ SMTP_URL: smtp.url }) });
  try {
    const b = new Browser(baseUrlOf(plain));
    expect((await b.request('/auth/config')).body.selfServicePasswordReset).toBe(false);
    const r = await b.request('/auth/request-password-reset', { json: { email: ADMIN_PERSON.email } });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('UNAVAILABLE');
    expect(r.body.error.message).toMatch(/ADMIN/);
  } finally {
    await plain.stop();
  }
});
