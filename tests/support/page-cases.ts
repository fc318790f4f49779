/** The test page's cases (tests/e2e/site/index.html) as a browser shows them now and as they were served. */

export interface CaseState {
  name: string;
  expect: string;
  attributes: Record<string, string>;
  original: Record<string, string> | null;
}

/** A page of either driver (playwright-core in Chromium, puppeteer-core in Firefox). */
interface EvaluatingPage {
  evaluate<T>(fn: () => Promise<T>): Promise<T>;
}

/** Every [data-case] element in the page, its shadow roots and same-origin frames, with its attributes now and as served. */
export async function readCases(page: EvaluatingPage): Promise<CaseState[]> {
  return page.evaluate(async () => {
    const served = new DOMParser().parseFromString(await (await fetch(location.pathname)).text(), 'text/html');
    const attrs = (el: Element) => Object.fromEntries(el.getAttributeNames().map((n) => [n, el.getAttribute(n) ?? '']));
    const out: { name: string; expect: string; attributes: Record<string, string>; original: Record<string, string> | null }[] = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        const name = el.getAttribute('data-case');
        if (name && el.getAttribute('data-expect')) {
          const orig = served.querySelector(`[data-case="${name}"]`);
          out.push({ name, expect: el.getAttribute('data-expect')!, attributes: attrs(el), original: orig ? attrs(orig) : null });
        }
        if (el.shadowRoot) visit(el.shadowRoot);
        if (el instanceof HTMLIFrameElement && el.contentDocument) visit(el.contentDocument);
      }
    };
    visit(document);
    return out;
  });
}
