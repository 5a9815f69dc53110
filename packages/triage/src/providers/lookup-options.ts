/** Options every context-provider call accepts. */
export interface LookupOptions {
  /** Cancels the lookup (Azure SDK convention). */
  abortSignal?: AbortSignal;
}
