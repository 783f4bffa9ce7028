/**
 * Rate limits count in fixed windows aligned to the epoch (`floor(now / windowMs)`): requests that
 * straddle a window's end are counted in two windows, so a test that expects the n-th request to be
 * refused first waits until enough of the current window is left.
 */
export async function clearOfWindowEnd(windowMs: number, needMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 20));
}
