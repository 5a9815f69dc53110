/** How tasks are delivered: retries, and whether a task that could not be delivered fails the run. */
export interface NotifyDeliveryPolicy {
  /** Delivery attempts per task, the first included. Default 3. */
  attempts?: number;
  /** Wait before the second attempt, doubled each time (a `Retry-After` from the target wins). Default 1000. */
  backoffInMs?: number;
  /** Longest wait between attempts (a longer `Retry-After` gives up instead). Default 60000. */
  maxBackoffInMs?: number;
  /** A task that was not delivered does not make the run incomplete (it is still journaled "not delivered"). Default false. */
  bestEffort?: boolean;
}

export interface ResolvedDeliveryPolicy {
  attempts: number;
  backoffInMs: number;
  maxBackoffInMs: number;
  bestEffort: boolean;
}

export function resolveDeliveryPolicy(policy: NotifyDeliveryPolicy = {}): ResolvedDeliveryPolicy {
  return {
    attempts: Math.max(1, Math.floor(policy.attempts ?? 3)),
    backoffInMs: Math.max(0, policy.backoffInMs ?? 1000),
    maxBackoffInMs: Math.max(0, policy.maxBackoffInMs ?? 60_000),
    bestEffort: policy.bestEffort ?? false,
  };
}
