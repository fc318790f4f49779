/**
 * Pure checks for what the options page lets a user type: the model host (where weights come from) and
 * the sites auto-fill runs on. Each answers a value to store or, in plain words, why it is refused.
 * DOM-free, with its words from lib/i18n.ts: table-tested in tests/unit/host-check.test.ts.
 */
import { t } from './i18n';

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Plain http is only for a mirror on this computer: anything else could be read or altered on the way. */
const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/**
 * A model host as transformers.js needs it: an http(s) URL with no credentials, query or fragment (files
 * are joined to it by concatenation), ending in exactly one slash. https is required except on loopback.
 */
export function checkModelHost(input: string): Checked<string> {
  const text = input.trim();
  if (text === '') return { ok: false, reason: t('hostEnterAddress') };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: t('hostNotWebAddress') };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: t('hostMustBeHttps') };
  if (url.protocol === 'http:' && !LOOPBACK_HOSTNAMES.includes(url.hostname)) {
    return { ok: false, reason: t('hostUseHttps') };
  }
  if (url.username || url.password) return { ok: false, reason: t('hostRemoveCredentials') };
  // "?"/"#" with nothing after them leave no trace in url.search/url.hash, but would still break the joined paths.
  if (url.search || url.hash || /[?#]/.test(text)) return { ok: false, reason: t('hostRemoveQuery') };
  return { ok: true, value: `${url.origin}${url.pathname.replace(/\/+$/, '')}/` };
}

/** Where "Test connection" looks: the model's config.json at its revision, as a download would. */
export function modelConfigUrl(host: string, modelId: string, revision: string): string {
  return `${host.replace(/\/+$/, '')}/${modelId}/resolve/${encodeURIComponent(revision)}/config.json`;
}

/** A hostname as lib/settings.ts stores one for auto-fill (lowercase letters, digits, dots, dashes; IPv6 in brackets). */
const HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;

/**
 * A site for the auto-fill list from what a user types or pastes: "example.com", "Example.com." or a whole
 * address ("https://example.com/page") give "example.com". Auto-fill matches a frame's exact hostname.
 */
export function checkSiteHostname(input: string): Checked<string> {
  const text = input.trim();
  if (text === '') return { ok: false, reason: t('siteEnter') };
  const whole = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (!whole && /[\s/?#@\\]/.test(text)) return { ok: false, reason: t('siteOnlyName') };
  let url: URL;
  try {
    // The URL parser lowercases, drops a port and writes an international name the way frames report it (punycode).
    url = new URL(whole ? text : `http://${text}`);
  } catch {
    return { ok: false, reason: t('siteNotAddress') };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: t('siteWebOnly') };
  const hostname = url.hostname.replace(/\.$/, '');
  if (hostname.length > 253 || !(HOSTNAME.test(hostname) || IPV6_LITERAL.test(hostname))) {
    return { ok: false, reason: t('siteInvalid') };
  }
  return { ok: true, value: hostname };
}
