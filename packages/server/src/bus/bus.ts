/**
 * The event bus port: a fan-out signal between server processes. PostgreSQL holds the truth; a
 * message tells other processes that something changed so they can push it to their sockets.
 *
 * Every adapter promises the same (contract/bus-contract.ts checks it):
 * - payloads are JSON values, and every handler receives its own copy, never the publisher's object;
 * - delivery is asynchronous: a handler never runs inside `publish`;
 * - messages on one topic reach a handler in the order one publisher published them;
 * - every handler subscribed to the topic in every process receives them, the publisher's included;
 * - `subscribe` resolves once messages published from then on will be delivered.
 */
export interface Bus {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Resolves to the function that removes this handler (and only this one). */
  subscribe(topic: string, handler: BusHandler): Promise<Unsubscribe>;
  /** Stops every delivery to this bus's handlers and releases its connections. */
  close(): Promise<void>;
}

export type BusHandler = (payload: unknown) => void;

export type Unsubscribe = () => Promise<void>;
