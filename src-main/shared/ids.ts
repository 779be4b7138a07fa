/**
 * Branded identifiers. A RunId and a plain string are different types, so a
 * series UID can never be passed where a stream's run id is expected.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Identifies one event stream (a subscription, a training run, a probe). */
export type RunId = Brand<string, 'RunId'>;

export function asRunId(value: string): RunId {
  return value as RunId;
}

/**
 * Makes run ids unique per client: a random prefix per client (so two
 * windows never collide on the same server) and a counter per stream.
 */
export function createRunIdFactory(prefix: string = randomPrefix()): () => RunId {
  let counter = 0;
  return () => asRunId(`${prefix}-${(++counter).toString(36)}`);
}

function randomPrefix(): string {
  return Math.floor(Math.random() * 0x7fffffff).toString(36) + Date.now().toString(36);
}
