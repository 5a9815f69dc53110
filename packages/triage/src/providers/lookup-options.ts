import type { OperationOptions } from "@keywarden/core";

/** Options every context-provider call accepts: the Azure SDK's `OperationOptions` (`abortSignal`, `requestOptions`, `tracingOptions`). */
export type LookupOptions = OperationOptions;
