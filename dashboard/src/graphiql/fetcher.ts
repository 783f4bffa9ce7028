/**
 * GraphiQL's fetcher: with the person's session (the cookie, and `x-workspace-id` as the rest of the
 * dashboard sends it), or with a pasted API key (Authorization: Bearer, no cookie, so the key alone
 * decides the workspace and role). Subscriptions go over graphql-ws on the same URL, authorised the same way.
 */
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';

export type Credentials = { kind: 'session'; workspaceId: string } | { kind: 'key'; key: string };

export function createFetcher(credentials: Credentials): Fetcher {
  const subscriptionUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  if (credentials.kind === 'key') {
    const authorization = `Bearer ${credentials.key.replace(/^bearer\s+/i, '').trim()}`;
    return createGraphiQLFetcher({
      url: '/graphql',
      subscriptionUrl,
      headers: { authorization },
      wsConnectionParams: { authorization },
      fetch: (input, init) => fetch(input, { ...init, credentials: 'omit' }),
    });
  }
  return createGraphiQLFetcher({
    url: '/graphql',
    subscriptionUrl,
    headers: { 'x-workspace-id': credentials.workspaceId },
    wsConnectionParams: { workspaceId: credentials.workspaceId },
    fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
  });
}
