/**
 * Every string a person reads goes through `t(key, ...substitutions)`: the browser's `i18n.getMessage`
 * over public/_locales/<language>/messages.json, in the browser's language (English by default).
 * Keys are typed from the English file; placeholders are `$1`…`$9` in the message, filled from
 * `substitutions`. Node (Vitest, vite-node scripts) has no extension i18n: there the English file
 * answers, with the same substitution rules. Browser builds never include that copy.
 */
import { browser } from 'wxt/browser';
import englishMessages from '@/public/_locales/en/messages.json';

export type MessageKey = keyof typeof englishMessages;
export type Substitution = string | number;
export type Messages = Record<string, { message: string } | undefined>;

/** Only where Vite runs code in Node (its SSR transform): the constant folds to null in the extension. */
const nodeFallback: Messages | null = import.meta.env.SSR ? englishMessages : null;
/** Installed by `installPackagedMessages` where a page has no i18n API (Chrome's offscreen documents). */
let installed: Messages | null = null;

export function t(key: MessageKey, ...substitutions: Substitution[]): string {
  const subs = substitutions.map(String);
  const fromTable = (table: Messages | null) => {
    const entry = table?.[key];
    return entry ? substitute(entry.message, subs) : '';
  };
  // An unknown key or a missing API gives ''; the key itself is at least something to report.
  return fromBrowser(key, subs) || fromTable(installed) || fromTable(nodeFallback) || key;
}

/**
 * A count in words: `one` or `other` by the plural rules of the language the messages are in (French
 * says "0 image", English "0 images"). The substitutions are the message's own, count included.
 */
export function tCount(count: number, keys: { one: MessageKey; other: MessageKey }, ...substitutions: Substitution[]): string {
  const rule = pluralRules(messagesLocale()).select(count);
  return t(rule === 'one' ? keys.one : keys.other, ...substitutions);
}

/**
 * The language the messages are in ("en", "de", "es", "fr"): the browser chose it from its UI language,
 * falling back to English. For `lang` attributes, plural rules, and words written into pages.
 */
export function messagesLocale(): string {
  return t('messagesLocale');
}

/** An extension page's `<html lang>` and `<title>` in the messages' language (its HTML file says English). */
export function localizePage(title?: MessageKey): void {
  document.documentElement.lang = messagesLocale();
  if (title) document.title = t(title);
}


/**
 * For a page the browser gives no i18n API (Chrome's offscreen documents get only `runtime`): loads the
 * packaged messages of `locale` (a `messagesLocale()` from a context that has the API), so `t` answers
 * as it does there. Never throws: without them, `t` answers with keys.
 */
export async function installPackagedMessages(
  locale: string | null,
  fetchMessages: (locale: string) => Promise<Messages | null> = fetchPackagedMessages,
): Promise<void> {
  if (fromBrowser('messagesLocale', [])) return;
  for (const candidate of new Set([locale && /^[a-z]{2,3}(_[A-Z]{2})?$/.test(locale) ? locale : 'en', 'en'])) {
    const messages = await fetchMessages(candidate).catch(() => null);
    if (messages) {
      installed = messages;
      return;
    }
  }
}

async function fetchPackagedMessages(locale: string): Promise<Messages | null> {
  const response = await fetch(browser.runtime.getURL(`/_locales/${locale}/messages.json` as '/'));
  return response.ok ? ((await response.json()) as Messages) : null;
}

/** Chrome's rules: `$1`…`$9` take the substitutions (missing ones read as empty), `$$` is a dollar sign. */
export function substitute(message: string, substitutions: readonly string[]): string {
  return message.replace(/\$(\$|[1-9])/g, (_, what: string) => (what === '$' ? '$' : (substitutions[Number(what) - 1] ?? '')));
}

/** WXT types `getMessage` from the messages it saw at its last `wxt prepare`; ours are typed above. */
type I18nApi = { getMessage(key: string, substitutions?: string[]): string };

function fromBrowser(key: string, substitutions: string[]): string {
  try {
    const i18n = browser?.i18n as I18nApi | undefined;
    return i18n?.getMessage(key, substitutions) ?? '';
  } catch {
    return ''; // fake browsers in unit tests throw "not implemented"
  }
}

const rulesByLocale = new Map<string, Intl.PluralRules>();
function pluralRules(locale: string): Intl.PluralRules {
  let rules = rulesByLocale.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    rulesByLocale.set(locale, rules);
  }
  return rules;
}
