/** The sentinel `withinDeadline` answers when `ms` passed first. */
export const PAST_DEADLINE: unique symbol = Symbol('past deadline');

/**
 * `work`'s result, or PAST_DEADLINE once `ms` have passed (`work` keeps running: JavaScript cannot cancel it; its
 * late result or rejection goes to `onLate`, so it is neither lost from the logs nor an unhandled rejection).
 */
export async function withinDeadline<T>(
  work: Promise<T>,
  ms: number,
  onLate: (outcome: { value?: T; error?: unknown }) => void,
): Promise<T | typeof PAST_DEADLINE> {
  let timer: NodeJS.Timeout | undefined;
  let past = false;
  const deadline = new Promise<typeof PAST_DEADLINE>((resolve) => {
    timer = setTimeout(() => {
      past = true;
      resolve(PAST_DEADLINE);
    }, ms);
  });
  work.then(
    (value) => past && onLate({ value }),
    (error: unknown) => past && onLate({ error }),
  );
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
