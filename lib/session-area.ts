/**
 * The parts of `storage.session` the background keeps short-lived state in. That state must outlive the
 * background itself: Chrome stops the service worker, and Firefox suspends the event page, 30 s after
 * their last event, and whatever was in memory goes with it. Session storage lasts until the browser
 * closes, and by default no content script can read it.
 */
export interface SessionArea {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}
