/**
 * SSRF guard for merchant-configured webhook URLs (OWASP API7:2023). Checked when an endpoint is
 * saved and again before every attempt. Pure: no DNS, no clock.
 *
 * What it cannot do: a public hostname that resolves to a private address (or re-resolves to one
 * later, DNS rebinding) is out of reach, because a Worker's fetch() resolves names itself and
 * exposes no resolver to pin the address. That risk is bounded by the platform: a Worker's
 * subrequests leave from Cloudflare's edge to the public internet and cannot reach our (or
 * anyone's) private network. Redirects are never followed (see deliver.ts), so a public URL
 * cannot bounce an attempt elsewhere.
 */

export const MAX_URL_LENGTH = 2048;

/**
 * 443 is the https default; 8443 is the customary alternative https port (and one Cloudflare
 * proxies). Any other port on a public host points at something that is not a web server
 * (SMTP, Redis, admin consoles): allowing it would let a merchant port-scan through us. Since
 * compatibility date 2024-09-02 (`allow_custom_ports`) Workers really connect to custom ports.
 */
const ALLOWED_PORTS = new Set(["", "443", "8443"]);

/** Names that only mean something inside a network (RFC 6761, RFC 6762, RFC 8375, ICANN .internal). */
const INTERNAL_SUFFIXES = ["localhost", "internal", "local", "home.arpa", "localdomain"];

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Checks a webhook target URL; `reason` is written for the merchant. */
export function checkWebhookUrl(raw: string): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `Must be at most ${MAX_URL_LENGTH} characters.` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "Must be an absolute https URL." };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "Must be an https URL." };
  if (url.username !== "" || url.password !== "") return { ok: false, reason: "Must not contain credentials; authenticate with the webhook signature instead." };
  if (!ALLOWED_PORTS.has(url.port)) return { ok: false, reason: "Use port 443 or 8443." };
  const host = url.hostname.toLowerCase().replace(/\.+$/, "");
  if (host === "") return { ok: false, reason: "Must name a host." };

  if (host.startsWith("[")) {
    const v6 = parseIPv6(host.slice(1, -1));
    if (!v6 || !isPublicIPv6(v6)) return { ok: false, reason: "Must not point at a private, loopback, link-local or reserved IPv6 address." };
    return { ok: true, url };
  }
  // The URL parser already turns 2130706433, 0x7f.1 and 0177.0.0.1 into dotted decimal; parsing
  // them here again keeps the guard right even if a host slips through in another spelling.
  const v4 = parseIPv4(host);
  if (v4 !== null) {
    if (!isPublicIPv4(v4)) return { ok: false, reason: "Must not point at a private, loopback, link-local, CGNAT or reserved IPv4 address." };
    return { ok: true, url };
  }
  if (looksNumeric(host)) return { ok: false, reason: "Must be a valid host name or public IP address." };
  if (INTERNAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) return { ok: false, reason: "Must be a public host name, not a local or internal one." };
  // A single-label name ("intranet") only resolves through a local search domain.
  if (!host.includes(".")) return { ok: false, reason: "Must be a fully qualified public host name." };
  return { ok: true, url };
}

/** Whether the last label is numeric, so the WHATWG parser would treat the host as IPv4. */
function looksNumeric(host: string): boolean {
  const last = host.split(".").at(-1) ?? "";
  return /^(0x[0-9a-f]*|\d+)$/i.test(last);
}

/**
 * Parses IPv4 the way the WHATWG URL standard does: 1 to 4 parts, each decimal, octal (leading
 * 0) or hex (0x), the last part filling the remaining bytes. Returns the 32-bit value or null.
 */
export function parseIPv4(host: string): number | null {
  const parts = host.split(".");
  if (parts.length === 0 || parts.length > 4 || !looksNumeric(host)) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = parseInt(p.slice(1), 8);
    else if (/^\d+$/.test(p)) n = parseInt(p, 10);
    else return null;
    nums.push(n);
  }
  const last = nums.pop() ?? 0;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return null;
  return nums.reduce((acc, n, i) => acc + n * 256 ** (3 - i), 0) + last;
}

/** [first address, prefix length] of every IPv4 block that is not public unicast. */
const NON_PUBLIC_V4: [string, number][] = [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata services
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];
const V4_BLOCKS = NON_PUBLIC_V4.map(([a, len]) => ({ base: parseIPv4(a) ?? 0, size: 2 ** (32 - len) }));

/** Whether a 32-bit IPv4 address is public unicast. */
export function isPublicIPv4(ip: number): boolean {
  return !V4_BLOCKS.some((b) => ip >= b.base && ip < b.base + b.size);
}

/** Parses an IPv6 address (with `::` and an optional dotted IPv4 tail) into 8 16-bit groups. */
export function parseIPv6(text: string): number[] | null {
  if (text.includes("%")) return null; // zone ids only make sense on a local link
  let s = text.toLowerCase();
  let tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const parts = dotted[2]!.split(".").map(Number);
    if (parts.some((p) => p > 255)) return null;
    const [a, b, c, d] = parts as [number, number, number, number];
    tail = [(a << 8) | b, (c << 8) | d];
    s = dotted[1]!.endsWith("::") ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const group = (h: string) => (h === "" ? [] : h.split(":"));
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const zeros = new Array<number>(8 - known).fill(0);
  return [...head.map((g) => parseInt(g, 16)), ...zeros, ...rest.map((g) => parseInt(g, 16)), ...tail];
}

/**
 * Whether an IPv6 address is public: only global unicast (2000::/3) qualifies, which already
 * excludes ::, ::1, IPv4-mapped ::ffff:0:0/96, IPv4-compatible, NAT64 64:ff9b::/96, ULA fc00::/7,
 * link-local fe80::/10, site-local and multicast ff00::/8. Inside 2000::/3 the documentation
 * block, the IETF special block (Teredo) and 6to4 (which embeds an IPv4 address) are refused.
 */
export function isPublicIPv6(g: number[]): boolean {
  const [a = 0, b = 0] = g;
  if ((a & 0xe000) !== 0x2000) return false;
  if (a === 0x2001 && b === 0x0db8) return false; // 2001:db8::/32 documentation
  if (a === 0x2001 && b < 0x0200) return false; // 2001::/23 IETF protocol assignments, Teredo
  if (a === 0x2002) return false; // 6to4
  if (a === 0x3fff && b < 0x1000) return false; // 3fff::/20 documentation (RFC 9637)
  return true;
}
