/**
 * Who may make the engine fetch what, and with whose cookies. The engine fetches from the extension's
 * origin with host access to every site, so without this a page could have it read a cookie-protected
 * image of another site, or a router's page at 192.168.1.1, and read the caption back from `alt`
 * (a confused deputy). Pure and DOM-free: it decides from the image URL and the requester alone.
 *
 * The rules:
 * - only http(s) images;
 * - a page on the public web never reaches loopback, private or local-network hosts (even when the user
 *   asked: the page chose the URL); a page that is itself on such a host may, and so may our own
 *   extension pages;
 * - the user's cookies go only to the frame's own origin (the page could read the image anyway), or to
 *   the image's origin when the user asked about this very image;
 * - a redirect is re-checked hop by hop, and cookies never follow a redirect to another origin.
 */
import type { FailureReason, ImageRequester } from '../engine/jobs';
import { t } from '../i18n';

export type ImageCredentials = 'include' | 'omit';

export type ImageFetchPlan =
  | { allowed: true; credentials: ImageCredentials }
  | { allowed: false; reason: FailureReason; message: string };

/** Decides whether the engine may fetch `imageUrl` for `requester`, and whether cookies go along. */
export function planImageFetch(imageUrl: string, requester: ImageRequester): ImageFetchPlan {
  const image = parseUrl(imageUrl);
  if (!image || (image.protocol !== 'http:' && image.protocol !== 'https:')) {
    return refuse('unsupported-source', t('imageOnlyWebImages'));
  }
  // fetch() refuses these anyway; say why in words instead of a TypeError.
  if (image.username || image.password) {
    return refuse('unsupported-source', t('imageAddressHasCredentials'));
  }
  const frame = requesterFrameUrl(requester);
  const requesterMayReachLocal = (frame !== null && isLocalNetworkHost(frame.hostname)) || isExtensionOrigin(requester.frameOrigin);
  if (isLocalNetworkHost(image.hostname) && !requesterMayReachLocal) {
    return refuse('private-network', t('imageLocalNetwork'));
  }
  const sameOrigin = frame !== null && frame.origin === image.origin;
  return { allowed: true, credentials: sameOrigin || requester.userAsked ? 'include' : 'omit' };
}

/**
 * The plan for one redirect hop, from the request as planned (`plannedUrl` with `planned` credentials)
 * to `hopUrl`. The hop must pass the same policy as a first request, and cookies stay on the planned
 * origin: a credentialed request that is redirected elsewhere continues without them, never the reverse.
 */
export function planRedirectHop(
  plannedUrl: string,
  planned: ImageCredentials,
  hopUrl: string,
  requester: ImageRequester,
): ImageFetchPlan {
  const hop = planImageFetch(hopUrl, requester);
  if (!hop.allowed) return hop;
  const keepsCookies = planned === 'include' && hop.credentials === 'include' && parseUrl(hopUrl)?.origin === parseUrl(plannedUrl)?.origin;
  return { allowed: true, credentials: keepsCookies ? 'include' : 'omit' };
}

/** Whether the frame that asked is the image's own origin (opaque "null" origins never are). */
export function isSameOriginAsRequester(imageUrl: string, requester: ImageRequester): boolean {
  const frame = requesterFrameUrl(requester);
  return frame !== null && frame.origin === parseUrl(imageUrl)?.origin;
}

/**
 * Loopback, private, link-local and local-network names, for a hostname as `new URL(...).hostname`
 * gives it. The WHATWG URL parser has already turned every IPv4 form a browser accepts (2130706433,
 * 0x7f.1, 0177.0.0.1, 127.1, full-width digits) into dotted decimal and IPv6 into compressed hex, so
 * this only reads those canonical forms. A public name that resolves to a private address is beyond it:
 * only the network stack sees DNS answers.
 */
export function isLocalNetworkHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = parseIpv6(host.slice(1, -1));
    return groups === null || isLocalIpv6(groups);
  }
  const ipv4 = parseDottedIpv4(host);
  if (ipv4 !== null) return isLocalIpv4(ipv4);
  if (host === '' || host === 'localhost') return true;
  // Intranet names: one label (http://router/, http://nas/) resolves through the local DNS search list;
  // these suffixes are reserved for, or conventionally used by, local networks.
  if (!host.includes('.')) return true;
  return LOCAL_NAME_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

const LOCAL_NAME_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.lan'];

/** [first address, prefix length] of IPv4 blocks that aren't the public internet. */
const LOCAL_IPV4_BLOCKS: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local machine on Linux and macOS
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT (RFC 6598), also Tailscale
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, including cloud metadata at 169.254.169.254
  ['172.16.0.0', 12], // RFC 1918
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking (RFC 2544), used by some local proxies
];

function isLocalIpv4(address: number): boolean {
  return LOCAL_IPV4_BLOCKS.some(([first, prefixBits]) => {
    const mask = prefixBits === 0 ? 0 : (~0 << (32 - prefixBits)) >>> 0;
    return ((address & mask) >>> 0) === ((parseDottedIpv4(first)! & mask) >>> 0);
  });
}

function isLocalIpv6(g: readonly number[]): boolean {
  const upperZero = g.slice(0, 5).every((x) => x === 0);
  // :: and ::1
  if (upperZero && g[5] === 0 && g[6] === 0 && (g[7] === 0 || g[7] === 1)) return true;
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
  const embeddedIpv4 = ((g[6]! << 16) | g[7]!) >>> 0;
  if (upperZero && (g[5] === 0xffff || g[5] === 0)) return isLocalIpv4(embeddedIpv4);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isLocalIpv4(embeddedIpv4);
  if ((g[0]! & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g[0]! & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g[0]! & 0xffc0) === 0xfec0) return true; // site-local fec0::/10 (deprecated, still routed on some LANs)
  return false;
}

/** Dotted-decimal IPv4 as one unsigned number, or null for anything else. */
function parseDottedIpv4(host: string): number | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Eight 16-bit groups, or null when it isn't an IPv6 address (accepts "::" and a dotted IPv4 tail). */
function parseIpv6(text: string): number[] | null {
  let address = text;
  const dottedTail = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dottedTail) {
    const ipv4 = parseDottedIpv4(dottedTail[1]!);
    if (ipv4 === null) return null;
    const asGroups = `${(ipv4 >>> 16).toString(16)}:${(ipv4 & 0xffff).toString(16)}`;
    address = address.slice(0, address.length - dottedTail[1]!.length) + asGroups;
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const toGroups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = toGroups(halves[0]!);
  const rest = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (![...head, ...rest].every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return null;
  const known = head.length + rest.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  return [...head.map(hex), ...Array<number>(8 - known).fill(0), ...rest.map(hex)];
}

const hex = (group: string) => parseInt(group, 16);

function requesterFrameUrl(requester: ImageRequester): URL | null {
  // Opaque origins ("null", sandboxed frames, data: documents) and anything that isn't a web origin
  // count as public and cross-origin to everything.
  const frame = parseUrl(requester.frameOrigin);
  if (!frame || (frame.protocol !== 'http:' && frame.protocol !== 'https:')) return null;
  return frame;
}

/**
 * Our own pages (bench, options, popup). The background takes frameOrigin from the message sender, and
 * content scripts never run inside extension pages, so no web page can claim such an origin.
 */
function isExtensionOrigin(origin: string): boolean {
  return /^(chrome|moz|safari-web)-extension:\/\//i.test(origin);
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function refuse(reason: FailureReason, message: string): ImageFetchPlan {
  return { allowed: false, reason, message };
}
