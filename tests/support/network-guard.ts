/**
 * The network guard: a DevTools connection at browser level auto-attaches to every target — pages,
 * the service worker, the offscreen engine host, the popup — and records each request with the
 * context that made it. Chromium's own background traffic (sign-in, updates) has no target, so what
 * is recorded is exactly what web pages and the extension asked for.
 */
import WebSocket from 'ws';

export interface GuardedRequest {
  url: string;
  /** e.g. "service_worker chrome-extension://…/background.js", "other chrome-extension://…/offscreen.html" */
  context: string;
  fromExtension: boolean;
}

export interface NetworkGuard {
  requests: GuardedRequest[];
  close(): void;
}

export async function startNetworkGuard(debuggingPort: number): Promise<NetworkGuard> {
  const version = (await (await fetch(`http://127.0.0.1:${debuggingPort}/json/version`)).json()) as {
    webSocketDebuggerUrl: string;
  };
  const ws = new WebSocket(version.webSocketDebuggerUrl, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const requests: GuardedRequest[] = [];
  const sessions = new Map<string, { type: string; url: string }>();
  let nextId = 1;
  const send = (method: string, params: object = {}, sessionId?: string) =>
    ws.send(JSON.stringify({ id: nextId++, method, params, ...(sessionId ? { sessionId } : {}) }));

  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as {
      method?: string;
      sessionId?: string;
      params?: Record<string, any>;
    };
    if (msg.method === 'Target.attachedToTarget') {
      const { sessionId, targetInfo } = msg.params!;
      sessions.set(sessionId, { type: targetInfo.type, url: targetInfo.url });
      // Children (workers, iframes) of this target are attached too, and paused until recorded.
      send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, sessionId);
      send('Network.enable', {}, sessionId);
      send('Runtime.runIfWaitingForDebugger', {}, sessionId);
    } else if (msg.method === 'Network.requestWillBeSent' && msg.sessionId) {
      const target = sessions.get(msg.sessionId);
      const url: string = msg.params!.request.url;
      if (/^(data|blob|chrome-extension|chrome|devtools|about):/.test(url)) return; // not network
      const documentUrl: string = msg.params!.documentURL ?? target?.url ?? '';
      const context = `${target?.type ?? '?'} ${documentUrl}`;
      requests.push({ url, context, fromExtension: documentUrl.startsWith('chrome-extension://') || (target?.url ?? '').startsWith('chrome-extension://') });
    }
  });
  send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
  return { requests, close: () => ws.close() };
}
