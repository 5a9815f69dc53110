import type { CommonClientOptions, OperationOptions } from "@azure/core-client";

/**
 * What every Keywarden client's options extend (`<Client>Options extends KeywardenClientOptions`): the Azure SDK's
 * `CommonClientOptions` (retry, user agent, proxy, `httpClient`, additional policies, logging) plus a timeout for
 * one attempt of one request.
 */
export interface KeywardenClientOptions extends CommonClientOptions {
  /** Longest wait for one attempt of one request; an attempt that takes longer is aborted and retried. */
  requestTimeoutInMs?: number;
}

export type { CommonClientOptions, OperationOptions };

/**
 * The `userAgentPrefix` Keywarden clients send, `keywarden-<pkg>/<version>`, in front of any prefix the caller
 * set (so Azure's logs and support can tell which tool made a call).
 */
export function keywardenUserAgentPrefix(packageName: string, version: string, callerPrefix?: string): string {
  const own = `keywarden-${packageName}/${version}`;
  return callerPrefix === undefined || callerPrefix === "" ? own : `${callerPrefix} ${own}`;
}

/** `options` with the Keywarden user agent added to `userAgentOptions`. */
export function withKeywardenUserAgent<T extends CommonClientOptions>(options: T, packageName: string, version: string): T {
  return {
    ...options,
    userAgentOptions: {
      ...options.userAgentOptions,
      userAgentPrefix: keywardenUserAgentPrefix(packageName, version, options.userAgentOptions?.userAgentPrefix),
    },
  };
}
