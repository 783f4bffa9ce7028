/**
 * GET /setup: the page behind the first-start set-up link (`/setup#token=…`). The token stays in the
 * fragment (never sent to a server); the page's script posts it with the form to POST /auth/setup and
 * goes to the dashboard once signed in. One inline script, allowed by its hash in a strict CSP.
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';

const SCRIPT = `
const token = new URLSearchParams(location.hash.slice(1)).get('token');
const form = document.getElementById('setup');
const status = document.getElementById('status');
if (!token) {
  status.textContent = 'This address has no set-up token: open the link from the server log.';
  form.hidden = true;
}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  status.textContent = '';
  const fields = Object.fromEntries(new FormData(form));
  const res = await fetch('/auth/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...fields, token }) });
  if (res.ok) {
    history.replaceState(null, '', '/setup');
    location.assign('/ui/');
    return;
  }
  const body = await res.json().catch(() => ({}));
  status.textContent = (body.error && body.error.message) || 'Set-up failed; try again.';
});
`;

const HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Set up the prompt service</title></head>
<body>
<main>
<h1>Create the first account</h1>
<p>You become an instance admin and ADMIN of the default workspace.</p>
<p id="status" role="alert"></p>
<form id="setup">
<p><label>Email <input name="email" type="email" required autocomplete="email"></label></p>
<p><label>Name <input name="name" required autocomplete="name" maxlength="100"></label></p>
<p><label>Password (at least 12 characters) <input name="password" type="password" required minlength="12" autocomplete="new-password"></label></p>
<p><button type="submit">Create account</button></p>
</form>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;

const CSP = [
  "default-src 'none'",
  `script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`,
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function sendSetupPage(res: http.ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
  res.end(HTML);
}
