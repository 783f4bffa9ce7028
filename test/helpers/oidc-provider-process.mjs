// A real OpenID Connect provider (oidc-provider) for the SSO tests, run as its own process:
//   OIDC_TEST_CLIENT='{"client_id","client_secret","redirect_uris":[...]}' OIDC_TEST_ACCOUNTS='{"<sub>":{"email",...}}' node provider-process.mjs
// It prints `ready <issuer>` once it listens on a free loopback port (or OIDC_TEST_PORT). No dev interactions: the login
// step is a minimal form (GET /interaction/:uid) whose POST /interaction/:uid/login signs in the
// account named by `login` (POST /interaction/:uid/abort cancels, as a person can); consent is pre-granted for the one first-party client, as a company's
// identity provider does for its own applications. PKCE is required of every client.
/* global process, console, URL, URLSearchParams */
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const client = JSON.parse(process.env.OIDC_TEST_CLIENT ?? '{}');
const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS ?? '{}');
const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' };

let provider;
const readBody = (req) =>
  new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Test IdP</title><p>prompt: ${details.prompt.name}</p>` +
        `<form method="post" action="/interaction/${uid}/login"><input name="login"><button>Sign in</button></form>`,
    );
    return;
  }
  if (action === '/abort') {
    // The person cancels at the provider: the app gets error=access_denied back.
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The person cancelled the sign-in.' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (action !== '/login') throw new Error('unknown interaction action');
  const accountId = new URLSearchParams(await readBody(req)).get('login') ?? '';
  if (!Object.hasOwn(accounts, accountId)) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('unknown account');
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  // A real browser asks for the login page's icon: none, and no 404 in its console.
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204);
    return res.end();
  }
  const m = /^\/interaction\/([^/]+)(\/login|\/abort)?$/.exec(url.pathname);
  if (!m) return provider.callback()(req, res);
  interaction(req, res, m[1], m[2]).catch((err) => {
    if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(String(err?.message ?? err));
  });
});

server.listen(Number(process.env.OIDC_TEST_PORT ?? 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: [
      {
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        ...client,
      },
    ],
    async findAccount(_ctx, id) {
      if (!Object.hasOwn(accounts, id)) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
    jwks: { keys: [signingKey] },
  });
  provider.on('server_error', (_ctx, err) => console.error('server_error', err));
  provider.on('grant.error', (_ctx, err) => console.error('grant.error', err.message, err.error_description ?? ''));
  console.log(`ready ${issuer}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
