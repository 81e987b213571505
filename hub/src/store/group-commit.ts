import type { StoreView } from "@mtx-fleet/agent";

interface Entry<T> {
  readonly mutation: (draft: T) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

/**
 * Group commit over a durable `StoreView`: mutations queued while a write is on its way are
 * applied together in the next write, so a burst of small changes costs one fsync instead of
 * one each. Each mutation's promise settles once the write that contains it is durable.
 * A mutation must check before it changes the draft: when it throws, it is left out by
 * contract (what it changed before throwing would still be written).
 */
export function groupCommit<T extends object>(
  view: StoreView<T>,
): <R>(mutation: (draft: T) => R) => Promise<R> {
  let pending: Entry<T>[] = [];
  const flush = (): void => {
    let taken: Entry<T>[] = [];
    view
      .update((draft) => {
        taken = pending;
        pending = [];
        for (const entry of taken) {
          try {
            entry.outcome = { ok: true, value: entry.mutation(draft) };
          } catch (error) {
            entry.outcome = { ok: false, error };
          }
        }
        return undefined;
      })
      .then(
        () => {
          for (const entry of taken) {
            if (entry.outcome?.ok === true) entry.resolve(entry.outcome.value);
            else entry.reject(entry.outcome?.error);
          }
        },
        (error: unknown) => {
          // The write failed (nothing changed), or the store was closed before the batch ran.
          const victims = taken.length > 0 ? taken : pending.splice(0);
          for (const entry of victims) entry.reject(error);
        },
      );
  };
  return <R>(mutation: (draft: T) => R) =>
    new Promise<R>((resolve, reject) => {
      pending.push({ mutation, resolve: resolve as (value: unknown) => void, reject });
      if (pending.length === 1) flush();
    });
}
