import type { EventMetadata, EventStore, NewEvent, Tx } from '@hangar/event-store';

/** The decider shape of STYLE.md §Shape 1. */
export interface Decider<C, E, S> {
  decide(command: C, state: S): readonly E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

export interface Loaded<S> {
  state: S;
  /** Stream position the state was folded from: the expected version of the next append. */
  version: number;
}

type TypedEvent = { type: string; data: unknown };

/** Folds a stream with a decider's `evolve`. */
export async function loadAggregate<C, E extends TypedEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  tx?: Tx,
): Promise<Loaded<S>> {
  const events = await store.readStream(streamId, tx ? { tx } : undefined);
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, { type: e.type, data: e.data } as unknown as E);
  return { state, version: events.length };
}

/** Turns domain events into store events with shared metadata. */
export function toNewEvents(events: readonly TypedEvent[], metadata: EventMetadata): NewEvent[] {
  return events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata }));
}

/** Applies events to a loaded state (for deciding more in the same transaction). */
export function evolveAll<C, E, S>(decider: Decider<C, E, S>, state: S, events: readonly E[]): S {
  return events.reduce((s, e) => decider.evolve(s, e), state);
}
