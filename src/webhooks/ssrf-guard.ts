/**
 * SSRF guard: a webhook URL is checked at creation and its host resolved and checked again on every
 * attempt; the request then connects to exactly the address that was checked (no second lookup a DNS
 * rebinding could change). Loopback, private, link-local, CGNAT, multicast, reserved and cloud
 * metadata addresses are refused, and plain HTTP too, unless private targets are allowed (tests).
 */
import { lookup } from 'node:dns/promises';
import net from 'node:net';

export class RefusedTargetError extends Error {}

/** IPv4 ranges that are never a public webhook receiver. */
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. 169.254.169.254 cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function blockedV4(ip: string): boolean {
  const n = v4ToInt(ip);
  return BLOCKED_V4.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    const start = v4ToInt(base);
    return n >= start && n < start + size;
  });
}

function blockedV6(ip: string): boolean {
  const lower = ip.toLowerCase();
  // IPv4-mapped / -compatible forms carry an IPv4 address: check that one.
  const mapped = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return blockedV4(mapped[1]!);
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1]!, 16);
    const lo = parseInt(hexMapped[2]!, 16);
    return blockedV4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  if (lower === '::' || lower === '::1') return true;
  const first = parseInt(lower.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((first & 0xff00) === 0xff00) return true; // multicast
  if (lower.startsWith('64:ff9b:') || lower.startsWith('2001:db8:') || lower.startsWith('100::')) return true; // NAT64, documentation, discard
  return false;
}

/** True when the address is not a public unicast address. */
export function isPrivateAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 4) return blockedV4(ip);
  if (family === 6) return blockedV6(ip);
  return true;
}

/** Static checks of a destination URL (scheme, credentials, literal addresses). Returns the parsed URL. */
export function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RefusedTargetError('The URL is not valid.');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new RefusedTargetError('Webhook URLs must use https.');
  if (url.username || url.password) throw new RefusedTargetError('Webhook URLs cannot carry credentials; use static headers.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate) {
    if (net.isIP(host) && isPrivateAddress(host)) throw new RefusedTargetError(`The destination ${host} is a private, loopback or link-local address.`);
  }
  return url;
}

export type ResolvedTarget = { url: URL; address: string; family: 4 | 6 };

/**
 * Resolves the host now and refuses it when ANY of its addresses is private (a name with one public
 * and one loopback record is refused). Returns the address to connect to.
 */
export async function resolveTarget(raw: string, allowPrivate: boolean): Promise<ResolvedTarget> {
  const url = checkUrl(raw, allowPrivate);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch (err) {
      throw new RefusedTargetError(`The host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
  }
  if (addresses.length === 0) throw new RefusedTargetError(`The host ${host} does not resolve.`);
  if (!allowPrivate) {
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) throw new RefusedTargetError(`The host ${host} resolves to ${bad.address}, a private, loopback or link-local address.`);
  }
  const chosen = addresses[0]!;
  return { url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}
