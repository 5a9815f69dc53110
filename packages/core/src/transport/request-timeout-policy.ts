import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { CoreError } from "../errors/core-error.js";
import { coreErrorCodes } from "../errors/core-error-codes.js";

export const requestTimeoutPolicyName = "keywardenRequestTimeoutPolicy";

/**
 * A per-retry policy that gives every attempt of a request a timeout (`request.timeout`, which the Azure HTTP
 * clients enforce by aborting the attempt) unless the caller set one: what `KeywardenClientOptions.requestTimeoutInMs`
 * means. Placed per retry, so a slow attempt is abandoned and the retry policy tries again.
 */
export function requestTimeoutPolicy(timeoutInMs: number): PipelinePolicy {
  if (!Number.isFinite(timeoutInMs) || timeoutInMs <= 0) {
    throw new CoreError(coreErrorCodes.invalidArgument, `requestTimeoutInMs is ${String(timeoutInMs)}. Give a positive number of milliseconds.`);
  }
  return {
    name: requestTimeoutPolicyName,
    sendRequest(request, next) {
      if (request.timeout === 0) request.timeout = timeoutInMs;
      return next(request);
    },
  };
}
