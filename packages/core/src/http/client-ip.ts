import ipaddr from 'ipaddr.js';

/**
 * Which proxies in front of the app may tell the client's address: a number of hops (each
 * appends to `X-Forwarded-For`), or a list of proxy addresses and CIDR ranges. None by default:
 * the socket's address is the client's, and `X-Forwarded-For` is ignored — anyone can send it.
 */
export type TrustedProxies = number | readonly string[];

/**
 * The client's address: the socket's, or — only through trusted proxies — the right-most
 * untrusted entry of `X-Forwarded-For`. A spoofed header from an untrusted client changes
 * nothing. IPv4-mapped IPv6 addresses are read as IPv4.
 */
export function resolveClientIp(socketAddress: string | null | undefined, forwardedFor: string | null, trusted: TrustedProxies): string | null {
  const socket = normalizeIp(socketAddress);
  if (socket === null) return null;
  const isNothingTrusted = typeof trusted === 'number' ? trusted <= 0 : trusted.length === 0;
  if (isNothingTrusted || !forwardedFor) return socket;
  const hops = forwardedFor.split(',').map((entry) => normalizeIp(entry.trim()));
  if (typeof trusted === 'number') {
    // The socket is the last trusted proxy; each further trusted hop appended one entry.
    const index = hops.length - trusted;
    return index >= 0 ? (hops[index] ?? null) : socket;
  }
  const ranges = trusted.map((range) => ipaddr.parseCIDR(range.includes('/') ? range : `${range}/${range.includes(':') ? 128 : 32}`));
  const isTrusted = (address: string): boolean => {
    const parsed = ipaddr.parse(address);
    return ranges.some(([network, bits]) => parsed.kind() === network.kind() && parsed.match(network, bits));
  };
  let current = socket;
  while (isTrusted(current) && hops.length > 0) {
    const previous = hops.pop();
    // A malformed entry ends the walk: nothing before it can be believed.
    if (previous === null || previous === undefined) return current;
    current = previous;
  }
  return current;
}

/** A valid IP address in canonical form (IPv4-mapped IPv6 as IPv4), or `null`. */
export function normalizeIp(value: string | null | undefined): string | null {
  if (!value || !ipaddr.isValid(value)) return null;
  const parsed = ipaddr.parse(value);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) return (parsed as ipaddr.IPv6).toIPv4Address().toString();
  return parsed.toString();
}

/**
 * The key a client's address is counted under: an IPv4 address as it is, an IPv6 address by its
 * /64 network (one subscriber usually holds a whole /64, so per-address limits would be trivial
 * to dodge).
 */
export function rateLimitSubject(ip: string): string {
  const parsed = ipaddr.parse(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((part) => part.toString(16)).join(':')}::/64`;
}

/** Whether every entry of a trusted-proxy list is an address or a CIDR range. */
export function isValidProxyRange(range: string): boolean {
  return range.includes('/') ? ipaddr.isValidCIDR(range) : ipaddr.isValid(range);
}
