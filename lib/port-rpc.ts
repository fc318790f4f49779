/**
 * Requests and replies over one long-lived runtime port per destination. `runtime.sendMessage` opens and
 * closes a channel for every message and reaches every extension document; a posted message on an open
 * port is one hop. Measured in Chromium 156 on this 2-core machine, an extension page's round trip to
 * the service worker: 0.7–1.2 ms by sendMessage, 0.35–0.4 ms by port. A caption crosses two such
 * round trips (page → background → engine host).
 *
 * Browser-free: the browser's Port is passed in, so unit tests drive it with a fake.
 */

/** The parts of `runtime.Port` used here (Chrome's and Firefox's). */
export interface RpcPort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

interface PortRequest {
  altsightRpc: number;
  message: unknown;
}

interface PortReply {
  altsightRpc: number;
  reply: unknown;
}

/**
 * Chrome's own wording for a reply lost with its channel, so callers that tell "the other side is gone"
 * from the message (the engine host's crash recovery) read both transports alike.
 */
export const PORT_CLOSED_MESSAGE = 'The message port closed before a response was received.';

function isReply(value: unknown): value is PortReply {
  return typeof value === 'object' && value !== null && typeof (value as PortReply).altsightRpc === 'number' && 'reply' in value;
}

function isRequest(value: unknown): value is PortRequest {
  return typeof value === 'object' && value !== null && typeof (value as PortRequest).altsightRpc === 'number' && 'message' in value;
}

/** Calls over one port: each call's reply comes back under its id; all still out fail when the port closes. */
export class PortChannel {
  private open = true;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: unknown) => void; reject: (err: Error) => void }>();

  /** `lastError` reads why the port closed, where the browser says (else null). */
  constructor(
    private readonly port: RpcPort,
    lastError: () => string | null = () => null,
  ) {
    port.onMessage.addListener((message) => {
      if (!isReply(message)) return;
      const waiting = this.pending.get(message.altsightRpc);
      this.pending.delete(message.altsightRpc);
      waiting?.resolve(message.reply);
    });
    port.onDisconnect.addListener(() => {
      const reason = lastError();
      this.close(new Error(reason ? `${PORT_CLOSED_MESSAGE} (${reason})` : PORT_CLOSED_MESSAGE));
    });
  }

  /** False once the other side went away: a closed port never opens again. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Posts `message` and resolves with the other side's reply; rejects when the port closes first. */
  call(message: unknown): Promise<unknown> {
    if (!this.open) return Promise.reject(new Error(PORT_CLOSED_MESSAGE));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.port.postMessage({ altsightRpc: id, message } satisfies PortRequest);
      } catch (err) {
        // Posting on a port the browser already closed throws before onDisconnect is heard.
        this.close(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private close(error: Error): void {
    this.open = false;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/**
 * The calling side of a destination that anyone may connect to (the background): opens a port on the
 * first call and a new one after the other side went away (a service worker stopped when idle), so no
 * call waits on a dead port. A call whose port closes before the answer is sent once more, on a new port:
 * the background went away with it (Chrome stopped its worker, or the extension's process crashed with
 * the engine host it shares), and the browser starts a new one for the connection, whose handlers answer
 * it afresh. Requests are asks for work and its answer, so asking twice costs work, never a wrong
 * result; a second close fails the call.
 */
export class ReconnectingCaller {
  private channel: PortChannel | null = null;

  constructor(private readonly connect: () => PortChannel) {}

  async call(message: unknown): Promise<unknown> {
    const channel = this.openChannel();
    try {
      return await channel.call(message);
    } catch (err) {
      if (channel.isOpen) throw err;
      return this.openChannel().call(message);
    }
  }

  private openChannel(): PortChannel {
    if (!this.channel?.isOpen) this.channel = this.connect();
    return this.channel;
  }
}

/**
 * The answering side of one port: each request goes to `answer` and its result is posted back under the
 * request's id. `answer` resolves to null for a message it has no handler for, which the caller reads as
 * "no handler answered". A reply for a port closed meanwhile is dropped.
 */
export function answerOnPort(port: RpcPort, answer: (message: unknown) => Promise<unknown> | undefined): void {
  let open = true;
  port.onDisconnect.addListener(() => (open = false));
  port.onMessage.addListener((request) => {
    if (!isRequest(request)) return;
    void Promise.resolve(answer(request.message))
      .catch((err: unknown) => ({ ok: false, error: err instanceof Error ? err.message : String(err) }))
      .then((reply) => {
        if (!open) return;
        try {
          port.postMessage({ altsightRpc: request.altsightRpc, reply: reply ?? null } satisfies PortReply);
        } catch {
          // Closed between the check and the post: the caller hears onDisconnect instead.
        }
      });
  });
}
