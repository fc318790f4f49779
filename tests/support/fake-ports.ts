/**
 * In-memory runtime ports for unit tests: `connect` hands every onConnect listener (the "other side") a
 * linked port carrying the sender the test chose. Messages arrive a microtask later, as they would
 * across processes; `disconnect` on either end fires the other end's onDisconnect. With no listener, a
 * connect fails as Chrome's does: the opener hears onDisconnect with lastError set.
 */
import type { RpcPort } from '@/lib/port-rpc';
import type { RawSender } from '@/lib/senders';

type Listener<A extends unknown[]> = (...args: A) => void;

function event<A extends unknown[]>() {
  const listeners = new Set<Listener<A>>();
  return {
    addListener: (l: Listener<A>) => void listeners.add(l),
    removeListener: (l: Listener<A>) => void listeners.delete(l),
    fire: (...args: A) => [...listeners].forEach((l) => l(...args)),
    get size() {
      return listeners.size;
    },
  };
}

export interface FakePort extends RpcPort {
  name: string;
  sender?: RawSender;
  /** Messages posted on this end, in order. */
  posted: unknown[];
  connected: boolean;
}

export const RECEIVING_END_MISSING = 'Could not establish connection. Receiving end does not exist.';

/** `runtime`: the fake browser's runtime, whose lastError is set while a failed connect is reported. */
export function fakePortNetwork(runtime: { lastError?: { message?: string } }) {
  const onConnect = event<[FakePort]>();
  const receivers: FakePort[] = [];

  function makePort(name: string, sender?: RawSender) {
    const onMessage = event<[unknown]>();
    const onDisconnect = event<[FakePort]>();
    const port: FakePort & { peer?: FakePort & { deliver(m: unknown): void; drop(): void }; deliver(m: unknown): void; drop(): void } = {
      name,
      sender,
      posted: [],
      connected: true,
      onMessage,
      onDisconnect,
      postMessage(message: unknown) {
        if (!port.connected) throw new Error('Attempting to use a disconnected port object');
        port.posted.push(message);
        // Like the browser: a copy, a moment later.
        const copy = JSON.parse(JSON.stringify(message)) as unknown;
        queueMicrotask(() => port.peer?.deliver(copy));
      },
      disconnect() {
        if (!port.connected) return;
        port.connected = false;
        queueMicrotask(() => port.peer?.drop());
      },
      deliver(m: unknown) {
        if (port.connected) onMessage.fire(m);
      },
      drop() {
        if (!port.connected) return;
        port.connected = false;
        onDisconnect.fire(port);
      },
    };
    return port;
  }

  return {
    onConnect: { addListener: onConnect.addListener, removeListener: onConnect.removeListener },
    /** runtime.connect as made from a context the browser reports as `sender`. */
    connectAs(sender: RawSender | undefined) {
      return ({ name = '' }: { name?: string } = {}): FakePort => {
        const opener = makePort(name);
        const receiver = makePort(name, sender);
        opener.peer = receiver;
        receiver.peer = opener;
        receivers.push(receiver);
        if (onConnect.size === 0) {
          queueMicrotask(() => {
            const before = runtime.lastError;
            runtime.lastError = { message: RECEIVING_END_MISSING };
            opener.drop();
            runtime.lastError = before;
          });
        } else onConnect.fire(receiver);
        return opener;
      };
    },
    /** Ports as the receiving side got them, in order. */
    receivers,
    /** Every receiving end closes, as when the background stops: callers see their ports close. */
    closeAll() {
      for (const p of receivers) p.disconnect();
    },
  };
}
