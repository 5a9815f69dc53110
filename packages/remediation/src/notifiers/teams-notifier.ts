import type { JsonValue } from "../plan/remediation-plan.js";
import type { NotificationReceipt, NotificationTask, Notifier } from "./notifier.js";
import { requireHttpsUrl, WebhookDeliveryError } from "./webhook-notifier.js";

export interface TeamsNotifierOptions {
  /** A Teams incoming-webhook or Power Automate workflow URL (`https://` only). */
  url: string;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

function text(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The task as an Adaptive Card (schema 1.4, the version Teams renders in incoming webhooks and workflows): the subject,
 * who it is for, the message, and the evidence as facts, so the person who reads it in a channel sees why.
 * Every value is a plain TextBlock / FactSet string: Adaptive Cards do not run markup from `FactSet` values.
 */
export function taskAdaptiveCard(task: NotificationTask): Record<string, JsonValue> {
  const facts: JsonValue[] = [
    { title: "Kind", value: task.kind },
    {
      title: "To",
      value:
        task.recipientSources?.map((recipient) => `${recipient.address} (${recipient.source})`).join(", ") ??
        (task.recipients.join(", ") || "(nobody was found)"),
    },
    { title: "Alerts", value: task.alertIds.join(", ") },
    { title: "Plan", value: task.planId },
    ...(task.vault === undefined ? [] : [{ title: "Vault", value: task.vault }]),
    ...Object.entries(task.evidence).map(([key, value]) => ({ title: key, value: text(value) })),
  ];
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            { type: "TextBlock", text: task.subject, weight: "Bolder", size: "Medium", wrap: true },
            { type: "TextBlock", text: task.message, wrap: true },
            { type: "FactSet", facts },
            ...(task.response === undefined || task.response.length === 0
              ? []
              : [{ type: "TextBlock", text: `Response: ${task.response.join(" · ")}`, wrap: true, isSubtle: true }]),
          ],
        },
      },
    ],
  };
}

/**
 * Posts each task to Microsoft Teams as an Adaptive Card with the evidence. Non-2xx answers throw
 * `WebhookDeliveryError` with the status (429 / 5xx are retried by the engine). The URL must be HTTPS: checked here,
 * when the notifier is created.
 */
export class TeamsNotifier implements Notifier {
  readonly #url: string;
  readonly #fetch: typeof fetch | undefined;

  constructor(options: TeamsNotifierOptions) {
    requireHttpsUrl(options.url, "Teams");
    this.#url = options.url;
    this.#fetch = options.fetch;
  }

  async notify(task: NotificationTask, options: { abortSignal?: AbortSignal } = {}): Promise<NotificationReceipt> {
    const send = this.#fetch ?? fetch;
    const response = await send(this.#url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(taskAdaptiveCard(task)),
      ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
    });
    if (!response.ok) {
      const header = response.headers.get("retry-after");
      const retryAfter = Number(header);
      throw new WebhookDeliveryError(
        `Teams (${new URL(this.#url).host}) answered ${response.status} to task ${task.id}.`,
        response.status,
        header !== null && Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
      );
    }
    return { channel: "teams" };
  }
}
