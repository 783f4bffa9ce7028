/** What to tell a person about a failed operation, by its `extensions.code` (pure). */
import type { CombinedError } from 'urql';

export function explainError(error: CombinedError | undefined | null): string | null {
  if (!error) return null;
  if (error.networkError) return 'The server cannot be reached. Check your connection, then try again.';
  const first = error.graphQLErrors[0];
  const code = first?.extensions?.code;
  switch (code) {
    case 'CONFLICT':
      return 'Someone changed this prompt meanwhile. The page now shows the latest state: review it and try again.';
    case 'FORBIDDEN':
      return `Not allowed: ${first?.message ?? 'your role does not permit this.'}`;
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Reload the page and sign in again.';
    case 'RATE_LIMITED':
      return 'Too many requests. Wait a moment, then try again.';
    case 'UNAVAILABLE':
      return 'The service is briefly unavailable. Try again in a moment.';
    default:
      return first?.message ?? error.message;
  }
}
