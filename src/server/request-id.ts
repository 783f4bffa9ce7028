/** Request ids: the caller's `x-request-id` when it is sane, else a fresh UUID. */
import { randomUUID } from 'node:crypto';

const SANE = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SANE.test(value) ? value : randomUUID();
}
