/** The engine's status, asked of the background: often while a download runs, rarely otherwise. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EngineStatus } from '@/lib/messages';
import { sendToBackground } from '@/lib/transport';

/** Fast enough that a progress bar moves smoothly. */
const BUSY_INTERVAL_MS = 500;
/** Otherwise the page only needs to notice a download another page (or auto-fill) started. */
const QUIET_INTERVAL_MS = 3000;

/**
 * `busy`: the caller is waiting on something (its own download request), so poll fast; a change of
 * `busy` polls at once.
 * A hidden page doesn't poll until it is shown again.
 */
export function useEngineStatus(busy: boolean): EngineStatus | null {
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const pollNow = useRef<() => void>(() => undefined);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let inFlight = false;
    let loading = false;
    const tick = async () => {
      clearTimeout(timer);
      if (stopped || inFlight) return;
      if (document.visibilityState !== 'hidden' || busyRef.current) {
        inFlight = true;
        const next = await sendToBackground('engine.status', {}).catch(() => null);
        inFlight = false;
        if (stopped) return;
        loading = next?.state === 'loading';
        setStatus(next);
      }
      timer = setTimeout(() => void tick(), busyRef.current || loading ? BUSY_INTERVAL_MS : QUIET_INTERVAL_MS);
    };
    pollNow.current = () => void tick();
    void tick();
    const onVisibility = () => document.visibilityState === 'visible' && void tick();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);

  // Starting or ending a request changes what the engine says: ask at once rather than at the next tick.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else pollNow.current();
  }, [busy]);
  return status;
}
