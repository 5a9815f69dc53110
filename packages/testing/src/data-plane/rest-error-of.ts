import { RestError } from "@azure/core-rest-pipeline";

/** The `RestError` an SDK call rejects with; fails when it resolves or rejects with anything else. */
export async function restErrorOf(promise: Promise<unknown>): Promise<RestError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught
  );
  if (!(error instanceof RestError)) throw new Error(`Expected the call to fail with a RestError, got ${String(error)}.`);
  return error;
}
