import { AbortError, type AbortSignalLike } from "@azure/abort-controller";

/**
 * Throws the Azure SDK's `AbortError` when `abortSignal` has fired, so code that takes an `OperationOptions`
 * (whose `abortSignal` is an `AbortSignalLike`, without the DOM's `throwIfAborted()`) stops the way an Azure SDK
 * call does.
 */
export function throwIfAborted(abortSignal: AbortSignalLike | undefined): void {
  if (abortSignal?.aborted === true) throw new AbortError("The operation was aborted.");
}
