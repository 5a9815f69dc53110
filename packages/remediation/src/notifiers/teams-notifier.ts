import { markdownSafe } from "@keywarden/core";
import type { JsonValue } from "../plan/remediation-plan.js";
import type { NotificationReceipt, NotificationTask, Notifier } from "./notifier.js";
import { requireHttpsUrl, WebhookDeliveryError } from "./webhook-notifier.js";

export interface TeamsNotifierOptions {
  /** A Teams incoming-webhook or Power Automate workflow URL (`https://` only). */
  url: string;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** A value as card text: Teams reads TextBlock text and fact titles and values as Markdown, so outside text is escaped. */
function text(value: JsonValue): string {
  return markdownSafe(typeof value === "string" ? value : JSON.stringify(value), { singleLine: true });
}

/** Several lines as one TextBlock: each escaped, separated by the blank line Teams needs to break a TextBlock. */
function paragraphs(value: string): string {
  return value
    .split("\n")
    .map((line) => text(line))
    .join("\n\n");
}

/**
 * The task as an Adaptive Card (schema 1.4, the version Teams renders in incoming webhooks and workflows): the subject,
 * who it is for, the message, and the evidence as facts, so the person who reads it in a channel sees why.
 * Teams renders TextBlock text and FactSet titles and values as Markdown (links, emphasis, lists; no HTML), so every
 * value is escaped with `markdownSafe`: a name cannot become a link, emphasis or a `{{DATE()}}` function, and control
 * and bidi characters are shown, not run.
 */
export function taskAdaptiveCard(task: NotificationTask): Record<string, JsonValue> {
  const facts: JsonValue[] = [
    { title: "Kind", value: text(task.kind) },
    {
      title: "To",
      value: text(
        task.recipientSources?.map((recipient) => `${recipient.address} (${recipient.source})`).join(", ") ??
          (task.recipients.join(", ") || "(nobody was found)"),
      ),
    },
    { title: "Alerts", value: text(task.alertIds.join(", ")) },
    { title: "Plan", value: text(task.planId) },
    ...(task.vault === undefined ? [] : [{ title: "Vault", value: text(task.vault) }]),
    ...Object.entries(task.evidence).map(([key, value]) => ({ title: text(key), value: text(value) })),
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
            { type: "TextBlock", text: text(task.subject), weight: "Bolder", size: "Medium", wrap: true },
            { type: "TextBlock", text: paragraphs(task.message), wrap: true },
            { type: "FactSet", facts },
            ...(task.response === undefined || task.response.length === 0
              ? []
              : [{ type: "TextBlock", text: text(`Response: ${task.response.join(" · ")}`), wrap: true, isSubtle: true }]),
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
