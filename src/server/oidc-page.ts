/** The HTML page a browser sees when single sign-on is refused (pure): what happened, a code to quote, a way back. */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const HTML_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function oidcRefusalPage(code: string, message: string, requestId: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Single sign-on refused</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body>
<h1>Single sign-on refused</h1>
<p>${escapeHtml(message)}</p>
<p>Code: <code id="code">${escapeHtml(code)}</code> · request <code>${escapeHtml(requestId)}</code></p>
<p><a href="/ui/">Back to sign-in</a></p>
</body>
</html>
`;
}
