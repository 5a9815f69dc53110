import { RemediationCodes } from "../errors/remediation-codes.js";
import { RemediationError } from "../errors/remediation-error.js";
import type { NotificationReceipt, NotificationTask, Notifier } from "./notifier.js";

export interface WebhookNotifierOptions {
  /** The receiver (Teams/Slack workflow, a ticketing API, a Logic App HTTP trigger). */
  url: string;
  /** Extra headers, e.g. an authorization header for the receiver. */
  headers?: Record<string, string>;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * POSTs each task as JSON with an `Idempotency-Key` header (the task id), so a retried delivery can be dropped by
 * the receiver. Non-2xx answers throw with the status, so 429 and 5xx are retried by the engine like Azure calls.
 */
export class WebhookNotifier implements Notifier {
  readonly #options: WebhookNotifierOptions;

  constructor(options: WebhookNotifierOptions) {
    requireHttpsUrl(options.url, "webhook");
    this.#options = options;
  }

  async notify(task: NotificationTask, options: { abortSignal?: AbortSignal } = {}): Promise<NotificationReceipt> {
    const send = this.#options.fetch ?? fetch;
    const response = await send(this.#options.url, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": task.id, ...this.#options.headers },
      body: JSON.stringify({ type: "keywarden.task", ...task }),
      ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
    });
    if (!response.ok) {
      const retryAfter = Number(response.headers.get("retry-after"));
      throw new WebhookDeliveryError(
        `The webhook ${new URL(this.#options.url).host} answered ${response.status} to task ${task.id}.`,
        response.status,
        Number.isFinite(retryAfter) && response.headers.get("retry-after") !== null ? retryAfter * 1000 : undefined,
      );
    }
    const deliveryId = response.headers.get("x-request-id") ?? response.headers.get("request-id") ?? undefined;
    return deliveryId === undefined ? { channel: "webhook" } : { channel: "webhook", deliveryId };
  }
}

/**
 * A webhook answered with a non-2xx status (`KW_REMEDIATION_E0016`, category from the status: 429 / 5xx are
 * `transient` and retried by the engine, honouring `retryAfterInMs`).
 */
export class WebhookDeliveryError extends RemediationError {
  static override readonly marker: string = "keywarden.remediation.webhook-delivery";
  /** The webhook's HTTP status (also `status`, as on every remediation error). */
  readonly statusCode: number;
  readonly retryAfterInMs?: number;
  constructor(message: string, statusCode: number, retryAfterInMs?: number) {
    super(RemediationCodes.notifyFailed, message, { status: statusCode });
    this.statusCode = statusCode;
    if (retryAfterInMs !== undefined) this.retryAfterInMs = retryAfterInMs;
  }
}

/**
 * Refuses a notifier target that is not `https://`: tasks carry evidence about an incident (principal, addresses,
 * objects read) and must not cross the network in clear text. Thrown when the notifier is created, before any task.
 */
export function requireHttpsUrl(url: string, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new RemediationError(RemediationCodes.notifyTargetInsecure, `The ${what} URL is not a URL: give an https:// URL.`, { cause: error });
  }
  if (parsed.protocol !== "https:") {
    throw new RemediationError(
      RemediationCodes.notifyTargetInsecure,
      `The ${what} URL ${parsed.protocol}//${parsed.host} is not HTTPS: tasks carry incident evidence; give an https:// URL.`,
    );
  }
  return parsed;
}
