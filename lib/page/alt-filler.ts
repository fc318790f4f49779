/**
 * Auto-fill: finds images that lack a text alternative in a document (open shadow roots included),
 * captions them on screen first, and writes the result as alt. All DOM work is time-sliced, so a page
 * with thousands of images never sees a long task from us.
 */
import type { FailureReason, ImageSource, JobOutcome, JobPriority, JobRequest } from '../engine/jobs';
import type { PageImageReport } from '../messages';
import { SOURCE_ATTR, forgetGeneratedAlt, isGeneratedAlt, isOwnAltWrite, undoGeneratedAlt, writeGeneratedAlt } from './alt-text';
import { imageTextAlt } from '../engine/describe';
import { messagesLocale, t } from '../i18n';
import { altPrefixesFor } from './alt-prefix';
import { needsTextAlternative } from './eligibility';
import { imageUrlOf, isCandidateElement, readImageFacts, type CandidateElement } from './image-facts';
import { newRequestId } from '../request-id';
import { pageCanReadPixels, pngFromLoadedImage } from './page-pixels';
import { PanelResults, type PanelKind } from './panel-results';
import { forEachSliced } from './time-slice';

/** Requests in flight from one frame; the engine runs one at a time anyway, this only hides latency. */
const MAX_IN_FLIGHT_REQUESTS = 3;
/** Start work for images a screen away, so they are described by the time they scroll in. */
const NEAR_VIEWPORT_MARGIN = '100% 0px';
/**
 * Failures where the page, with its cookies and network, may have the picture when we could not. Its
 * own copy is used only when the page could read those pixels itself: a cross-origin image without
 * CORS taints the canvas and the read throws, so the job keeps its reason.
 */
const PAGE_CAN_SEE = new Set<FailureReason>(['forbidden', 'network', 'not-found', 'needs-sign-in', 'private-network']);
/**
 * A src that changed less than this long ago is not described yet: a carousel or a script cycling
 * images would otherwise cost a model call per frame. Once it holds still this long, it is described.
 */
export const SRC_SETTLE_MS = 1000;
const WATCHED_ATTRIBUTES = ['src', 'srcset', 'sizes', 'alt', 'aria-hidden', 'role', 'aria-label', 'aria-labelledby', 'hidden', 'style', 'class'];

export interface AltFillerDeps {
  /** `requestId` names this request so it can be cancelled when the image changes or leaves the page. */
  requestJob(job: JobRequest, priority: JobPriority, requestId: string): Promise<JobOutcome>;
  cancelRequests(requestIds: string[]): void;
  /** What auto-fill asks for: 'describe' uses an image's own text when it is mostly text. */
  jobKind(): Promise<'caption' | 'describe'>;
  /** The user's prefix, or null for the automatic one. */
  altPrefix(): Promise<string | null>;
}

interface Tracked {
  imageUrl: string;
  state: 'queued' | 'pending' | 'captioned' | 'failed';
  visible: boolean;
  caption: string | null;
  reason: string | null;
  /** The alt we wrote, to notice when the author replaces it. */
  writtenAlt: string | null;
  /** Requests out for this image, to cancel if it changes or goes away. */
  requestIds: string[];
}

export class AltFiller {
  private readonly tracked = new Map<CandidateElement, Tracked>();
  private readonly observedRoots = new WeakSet<Node>();
  private readonly intersection: IntersectionObserver;
  private readonly mutations: MutationObserver;
  private readonly toDecide = new Map<CandidateElement, IntersectionObserverEntry>();
  private deciding = false;
  private inFlight = 0;
  private active = false;
  /** When each element's picture last changed, and the timer that looks again once it has settled. */
  private readonly srcChangedAt = new WeakMap<CandidateElement, number>();
  private readonly settleTimers = new Map<CandidateElement, ReturnType<typeof setTimeout>>();
  private readonly panelResults = new PanelResults();

  constructor(
    private readonly doc: Document,
    private readonly deps: AltFillerDeps,
  ) {
    this.intersection = new IntersectionObserver((entries) => this.onIntersections(entries), {
      rootMargin: NEAR_VIEWPORT_MARGIN,
    });
    this.mutations = new MutationObserver((records) => this.onMutations(records));
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Starts (or re-starts) filling; resolves once every current image has been looked at. */
  async start(): Promise<void> {
    if (this.active) return;
    this.active = true;
    this.doc.addEventListener('load', this.onLoad, true);
    await this.scanRoot(this.doc);
  }

  stop(): void {
    this.active = false;
    this.intersection.disconnect();
    this.mutations.disconnect();
    this.doc.removeEventListener('load', this.onLoad, true);
    this.toDecide.clear();
    for (const timer of this.settleTimers.values()) clearTimeout(timer);
    this.settleTimers.clear();
    const outstanding: string[] = [];
    for (const t of this.tracked.values()) {
      if (t.state === 'queued') t.state = 'failed';
      if (t.state === 'pending') outstanding.push(...t.requestIds);
    }
    if (outstanding.length > 0) this.deps.cancelRequests(outstanding);
  }

  /** Looks again at every image that failed; returns how many. */
  retryFailed(): number {
    if (!this.active) return 0;
    let retried = 0;
    for (const [el, t] of [...this.tracked]) {
      if (t.state !== 'failed') continue;
      this.tracked.delete(el);
      this.consider(el);
      retried++;
    }
    return retried;
  }

  /** Removes every generated alt and stops, so the page is as its author left it. */
  async undoAll(): Promise<number> {
    this.stop();
    let restored = 0;
    await forEachSliced(this.allCandidates(this.doc), (el) => {
      if (undoGeneratedAlt(el)) restored++;
    });
    this.tracked.clear();
    return restored;
  }

  /** Auto-fill's images, then what the reader asked for in the panel (marked by `source`). */
  report(): PageImageReport[] {
    const autoFilled = [...this.tracked.values()].map(
      (t): PageImageReport => ({
        imageUrl: t.imageUrl,
        state: t.state === 'captioned' ? 'captioned' : t.state === 'failed' ? 'failed' : 'pending',
        caption: t.caption,
        reason: t.reason,
        source: 'auto-fill',
      }),
    );
    return [...autoFilled, ...this.panelResults.report()];
  }

  /** Images auto-fill is looking after (queued, pending or done). */
  get trackedCount(): number {
    return this.tracked.size;
  }

  /** A caption or text the reader got in the panel, for the popup's list. */
  notePanelResult(imageUrl: string, kind: PanelKind, outcome: JobOutcome): void {
    this.panelResults.note(imageUrl, kind, outcome);
  }

  private async scanRoot(root: Document | ShadowRoot): Promise<void> {
    if (this.observedRoots.has(root)) return;
    this.observedRoots.add(root);
    this.mutations.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
    if (root !== this.doc) root.addEventListener('load', this.onLoad, true);
    const shadowRoots: ShadowRoot[] = [];
    await forEachSliced(root.querySelectorAll('*'), (el) => {
      if (isCandidateElement(el)) this.consider(el);
      if (el.shadowRoot) shadowRoots.push(el.shadowRoot);
    });
    for (const shadow of shadowRoots) await this.scanRoot(shadow);
  }

  private *allCandidates(root: Document | ShadowRoot): Generator<CandidateElement> {
    for (const el of root.querySelectorAll('*')) {
      if (isCandidateElement(el)) yield el;
      if (el.shadowRoot) yield* this.allCandidates(el.shadowRoot);
    }
  }

  /** Asks the intersection observer for the element's box; the decision happens when it answers. */
  private consider(el: CandidateElement): void {
    if (!this.active) return;
    this.intersection.unobserve(el);
    this.intersection.observe(el);
  }

  private readonly onLoad = (event: Event) => {
    const el = event.target as Element;
    if (el instanceof Element && isCandidateElement(el)) this.reconsider(el);
  };

  private reconsider(el: CandidateElement): void {
    const t = this.tracked.get(el);
    const url = imageUrlOf(el);
    if (isGeneratedAlt(el) && el.getAttribute(SOURCE_ATTR) !== url) {
      // The picture changed under our caption: the old text would now be wrong.
      undoGeneratedAlt(el);
      this.srcChangedAt.set(el, performance.now());
      this.forget(el);
    } else if (t && t.imageUrl !== url) {
      this.srcChangedAt.set(el, performance.now());
      this.forget(el);
    }
    this.consider(el);
  }

  /** Stops tracking an element, cancelling any request still out for its old picture. */
  private forget(el: CandidateElement): void {
    const t = this.tracked.get(el);
    if (t?.state === 'pending' && t.requestIds.length > 0) this.deps.cancelRequests(t.requestIds);
    this.tracked.delete(el);
  }

  /** Elements removed from the page: their requests are cancelled, not run. */
  private forgetDisconnected(): void {
    for (const el of [...this.tracked.keys()]) if (!el.isConnected) this.forget(el);
  }

  private onMutations(records: MutationRecord[]): void {
    let removed = false;
    for (const r of records) {
      if (r.type === 'attributes') {
        const el = r.target as Element;
        if (!isCandidateElement(el)) continue;
        if (r.attributeName === 'alt') {
          const t = this.tracked.get(el);
          const alt = el.getAttribute('alt');
          // Our own write: auto-fill's, or the panel's "Use as alt text", which this filler did not make.
          if ((t?.writtenAlt != null && alt === t.writtenAlt) || isOwnAltWrite(el, alt)) continue;
          if (isGeneratedAlt(el)) forgetGeneratedAlt(el); // the author's text replaces ours
          if (t) t.writtenAlt = null;
        }
        this.reconsider(el);
      } else {
        if (r.removedNodes.length > 0) removed = true;
        for (const node of r.addedNodes) {
          if (!(node instanceof Element)) continue;
          if (isCandidateElement(node)) this.consider(node);
          if (node.shadowRoot) void this.scanRoot(node.shadowRoot);
          for (const el of node.querySelectorAll('img, input[type=image]')) this.consider(el as CandidateElement);
        }
      }
    }
    if (removed) this.forgetDisconnected();
  }

  private onIntersections(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const el = entry.target as CandidateElement;
      const t = this.tracked.get(el);
      if (t && (t.state === 'queued' || t.state === 'pending')) {
        t.visible = entry.isIntersecting; // priority follows scrolling
        continue;
      }
      this.toDecide.set(el, entry);
    }
    void this.decidePending();
  }

  private async decidePending(): Promise<void> {
    if (this.deciding) return;
    this.deciding = true;
    try {
      while (this.toDecide.size > 0 && this.active) {
        const batch = [...this.toDecide];
        this.toDecide.clear();
        await forEachSliced(batch, ([el, entry]) => this.decide(el, entry));
      }
    } finally {
      this.deciding = false;
    }
    this.pump();
  }

  private decide(el: CandidateElement, entry: IntersectionObserverEntry): void {
    if (!el.isConnected) return this.intersection.unobserve(el);
    if (this.waitForSettledSrc(el)) return;
    const facts = readImageFacts(el, entry.boundingClientRect);
    const verdict = needsTextAlternative(facts);
    if (verdict.decision === 'wait') return; // a load or attribute change brings it back
    if (verdict.decision === 'skip' || (facts.generatedByUs && el.getAttribute(SOURCE_ATTR) === facts.imageUrl)) {
      if (!this.tracked.get(el) || this.tracked.get(el)?.state === 'queued') this.tracked.delete(el);
      return;
    }
    const known = this.tracked.get(el);
    if (known && known.imageUrl === facts.imageUrl && known.state !== 'queued') return;
    this.tracked.set(el, {
      imageUrl: facts.imageUrl,
      state: 'queued',
      visible: entry.isIntersecting,
      caption: null,
      reason: null,
      writtenAlt: null,
      requestIds: [],
    });
  }

  /** True while the element's picture changed too recently; a timer brings it back once it holds still. */
  private waitForSettledSrc(el: CandidateElement): boolean {
    const changedAt = this.srcChangedAt.get(el);
    if (changedAt === undefined) return false;
    const sinceMs = performance.now() - changedAt;
    if (sinceMs >= SRC_SETTLE_MS) return false;
    if (!this.settleTimers.has(el)) {
      this.settleTimers.set(
        el,
        setTimeout(() => {
          this.settleTimers.delete(el);
          this.consider(el);
        }, SRC_SETTLE_MS - sinceMs),
      );
    }
    return true;
  }

  private pump(): void {
    while (this.active && this.inFlight < MAX_IN_FLIGHT_REQUESTS) {
      const next = this.nextQueued();
      if (!next) return;
      void this.captionElement(next[0], next[1]);
    }
  }

  private nextQueued(): [CandidateElement, Tracked] | undefined {
    let fallback: [CandidateElement, Tracked] | undefined;
    for (const pair of this.tracked) {
      if (pair[1].state !== 'queued') continue;
      if (pair[1].visible) return pair;
      fallback ??= pair;
    }
    return fallback;
  }

  private async captionElement(el: CandidateElement, t: Tracked): Promise<void> {
    t.state = 'pending';
    this.inFlight++;
    try {
      const outcome = await this.captionOf(el, t, t.visible ? 'visible' : 'background');
      if (this.tracked.get(el) !== t || imageUrlOf(el) !== t.imageUrl) return; // superseded meanwhile
      if (!outcome.ok) {
        Object.assign(t, { state: 'failed', reason: outcome.message });
        return;
      }
      const alt = await altFor(outcome, this.deps.altPrefix, el);
      if (!this.active) return;
      t.writtenAlt = writeGeneratedAlt(el, { ...alt, modelId: outcome.modelId, imageUrl: t.imageUrl });
      Object.assign(t, { state: 'captioned', caption: alt.caption });
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  /** Never throws: whatever goes wrong becomes a reason shown in the popup. */
  private async captionOf(el: CandidateElement, t: Tracked, priority: JobPriority): Promise<JobOutcome> {
    const imageUrl = t.imageUrl;
    const request = (job: JobRequest) => {
      const requestId = newRequestId();
      t.requestIds.push(requestId);
      return this.deps.requestJob(job, priority, requestId);
    };
    try {
      const kind = await this.deps.jobKind();
      const outcome = await request({ kind, source: await imageSourceFor(el, imageUrl) });
      if (outcome.ok || !PAGE_CAN_SEE.has(outcome.reason) || !(el instanceof HTMLImageElement)) return outcome;
      // Behind a login or on a network only the page reaches: the page's own copy may still be readable.
      if (!pageCanReadPixels(el, el.ownerDocument.location.origin)) return outcome;
      const pngDataUrl = await pngFromLoadedImage(el).catch(() => null);
      if (!pngDataUrl) return outcome;
      return await request({ kind, source: { kind: 'pixels', pngDataUrl, originalUrl: shortKey(imageUrl) } });
    } catch (err) {
      return { ok: false, reason: 'decode-failed', message: err instanceof Error ? err.message : String(err) };
    }
  }
}

/**
 * Captions get the user's hedge ("Auto-generated: ", or what they typed); an image's own words say so
 * ("Image text: "). Our words are in the image's language (its `lang`, usually the page's) when we speak
 * it, else in the browser's (as the browser chose our messages' language from it).
 */
export async function altFor(
  outcome: Extract<JobOutcome, { ok: true }>,
  userPrefix: () => Promise<string | null>,
  el: Element,
): Promise<{ caption: string; prefix: string }> {
  const ours = altPrefixesFor(languageOf(el), messagesLocale());
  if (outcome.result === 'image-text') return { caption: imageTextAlt(outcome.lines), prefix: ours.imageText };
  return { caption: outcome.text, prefix: (await userPrefix()) ?? ours.generated };
}

/** The element's language as HTML inherits it: its own or nearest `lang`, else its document's. */
function languageOf(el: Element): string {
  return el.closest('[lang]')?.getAttribute('lang') ?? el.ownerDocument.documentElement.lang;
}

/** http(s) images are fetched by the engine; data:/blob: ones only the page can read, so we send pixels. */
export async function imageSourceFor(el: Element, imageUrl: string): Promise<ImageSource> {
  if (/^https?:/i.test(imageUrl)) return { kind: 'url', url: imageUrl };
  if (/^(data|blob):/i.test(imageUrl) && el instanceof HTMLImageElement) {
    return { kind: 'pixels', pngDataUrl: await pngFromLoadedImage(el), originalUrl: shortKey(imageUrl) };
  }
  throw new Error(t('failureUnreadableAddress', `${imageUrl.split(':')[0]}:`));
}

/** data: URLs can be megabytes; a digest-like key is enough to deduplicate them. */
function shortKey(url: string): string {
  if (url.length <= 256) return url;
  let hash = 0;
  for (let i = 0; i < url.length; i++) hash = (Math.imul(hash, 31) + url.charCodeAt(i)) | 0;
  return `${url.slice(0, 64)}…#${url.length}:${(hash >>> 0).toString(16)}`;
}
