/**
 * Serialises a payload once at publish time, so later changes to the publisher's object never
 * reach subscribers and both adapters agree on what survives (JSON semantics: dates become strings).
 */
export function encodePayload(payload: unknown): string {
  const message: string | undefined = JSON.stringify(payload);
  if (message === undefined) throw new TypeError('a bus payload must be a JSON value');
  return message;
}
