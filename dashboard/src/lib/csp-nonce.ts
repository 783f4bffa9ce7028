/** The nonce the server put in this page's Content-Security-Policy (style-src), for CodeMirror's <style> elements. */
export const cspNonce: string = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
