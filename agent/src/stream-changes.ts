import type { SnapshotPoller } from "@mtx-fleet/mediamtx";

type PathLike = { readonly name: string; readonly available: boolean };

/**
 * "The node's streams changed" from the shared poll: a path appeared, vanished, or became
 * (un)available. Telemetry then goes out at once instead of at its next tick, so the hub sees
 * a new stream right after the poll that found it. Counters moving are not a change (they move
 * on every poll; the regular telemetry carries them).
 */
export function streamChanges(poller: SnapshotPoller): (listener: () => void) => () => void {
  return (listener) => {
    // The baseline is what the subscriber already sent (the current snapshot), not the next
    // poll: a stream that appears right after subscribing is a change too.
    const current = poller.current();
    let previous = current === null ? undefined : signatureOf(current.snapshot.paths);
    return poller.subscribe((event) => {
      if (event.type !== "snapshot") return;
      const signature = signatureOf(event.snapshot.paths);
      if (signature !== previous) listener();
      previous = signature;
    });
  };
}

function signatureOf(paths: readonly PathLike[]): string {
  return paths.map((path) => `${path.name}\u0000${path.available}`).join("\u0001");
}
