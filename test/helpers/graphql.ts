/** GraphQL over HTTP for tests; failures print the operation and the whole response. */
export type GqlResponse<T = any> = { status: number; data?: T; errors?: Array<{ message: string; path?: unknown; extensions?: Record<string, any> }> };

export async function gql<T = any>(
  url: string,
  key: string | null,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GqlResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: `non-JSON response: ${text.slice(0, 200)}` }] };
  }
  return { status: res.status, data: body.data ?? undefined, errors: body.errors };
}

/** Runs an operation that must succeed; returns its data. */
export async function ok<T = any>(url: string, key: string | null, query: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await gql<T>(url, key, query, variables);
  if (r.errors?.length || !r.data) {
    throw new Error(`operation failed:\n${query}\nvariables: ${JSON.stringify(variables)}\nresponse (${r.status}): ${JSON.stringify(r.errors ?? r)}`);
  }
  return r.data;
}

/** Runs an operation that must fail with `code`; returns the first error. */
export async function fails(url: string, key: string | null, query: string, variables: Record<string, unknown> | undefined, code: string) {
  const r = await gql(url, key, query, variables);
  const err = r.errors?.[0];
  if (!err || err.extensions?.code !== code) {
    throw new Error(`expected ${code}:\n${query}\nvariables: ${JSON.stringify(variables)}\nresponse (${r.status}): ${JSON.stringify(r.errors ?? r.data)}`);
  }
  return err;
}
