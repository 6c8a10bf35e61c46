import { isIPv4, isIPv6 } from "node:net";

/**
 * Which hosts are this machine or its private network, judged from a URL's hostname alone.
 * A public name that resolves to a private address is not caught here: the only outbound hosts the
 * app accepts in production are fixed by name (hooks.slack.com, OSCAR_API_BASE chosen by the operator).
 */

const LOOPBACK_NAMES = new Set(["localhost"]);

function ipv4Octets(address: string): number[] {
  return address.split(".").map(Number);
}

function isLoopbackIPv4(address: string): boolean {
  return ipv4Octets(address)[0] === 127;
}

function isInternalIPv4(address: string): boolean {
  const [a, b] = ipv4Octets(address);
  return (
    a === 0 || a === 10 || a === 127 || a >= 224 || // this network, private, loopback, multicast and reserved
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, where cloud metadata services answer
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:127.0.0.1, which URL writes as ::ffff:7f00:1). */
function mappedIPv4(address: string): string | null {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

function isInternalIPv6(address: string): boolean {
  const lower = address.toLowerCase();
  const mapped = mappedIPv4(lower);
  if (mapped) return isInternalIPv4(mapped);
  return (
    lower === "::" || lower === "::1" ||
    /^f[cd][0-9a-f]{0,2}:/.test(lower) || // unique local fc00::/7
    /^fe[89ab][0-9a-f]?:/.test(lower) // link-local fe80::/10
  );
}

/** URL hostnames keep IPv6 addresses in brackets. */
function bare(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "").toLowerCase();
}

/** 127.0.0.0/8, ::1 or localhost: this machine only. */
export function isLoopbackHost(hostname: string): boolean {
  const host = bare(hostname);
  if (isIPv4(host)) return isLoopbackIPv4(host);
  if (isIPv6(host)) return host === "::1" || (mappedIPv4(host) !== null && isLoopbackIPv4(mappedIPv4(host)!));
  return LOOPBACK_NAMES.has(host) || host.endsWith(".localhost");
}

/** Loopback, private, link-local or reserved addresses, and names that only mean something inside a network. */
export function isInternalHost(hostname: string): boolean {
  const host = bare(hostname);
  if (isIPv4(host)) return isInternalIPv4(host);
  if (isIPv6(host)) return isInternalIPv6(host);
  // A name without a dot is completed by the resolver's search domains: it can only name an internal host.
  return isLoopbackHost(host) || !host.includes(".") || /\.(local|internal|lan|home\.arpa)$/.test(host);
}
