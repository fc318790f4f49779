/**
 * Ids that name a request so it can be cancelled. Content scripts run on plain-http pages too, where
 * `crypto.randomUUID` does not exist (secure contexts only); `getRandomValues` exists everywhere.
 */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
