import type { Notifier, NotificationTask, ExecutorRegistry } from "@keywarden/remediation";

import type { AzureEnvironment } from "../environment/azure-environment.js";
import type { Output } from "../runtime/output.js";
import { createAlertsClient } from "../environment/alerts-client.js";

/**
 * Tasks for people (contact the owner, escalate to an administrator): shown on stderr as they are raised, and kept
 * for the command's result and the incident report.
 */
export class CliNotifier implements Notifier {
  readonly tasks: NotificationTask[] = [];
  readonly #output: Output;

  constructor(output: Output) {
    this.#output = output;
  }

  notify(task: NotificationTask): Promise<{ channel: string; deliveryId: string }> {
    if (!this.tasks.some((existing) => existing.id === task.id)) {
      this.tasks.push(structuredClone(task));
      const c = this.#output.errColors;
      // The evidence travels with the task on the console too: source, findings, objects read, what was done.
      const evidence = Object.entries(task.evidence).map(([key, value]) => `  - ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
      this.#output.note([`${c.cyan(`[${task.kind}]`)} ${task.subject}`, `  to: ${task.recipients.join(", ") || "(unassigned)"}`, ...evidence].join("\n"));
    }
    return Promise.resolve({ channel: "cli", deliveryId: task.id });
  }
}

/**
 * The notifiers `--notify` names, each `webhook:<https-url>` or `teams:<https-url>`, after the console one. A URL that
 * is not HTTPS is refused here, before anything is applied.
 */
export async function createNotifier(console: CliNotifier, targets: readonly string[]): Promise<Notifier> {
  if (targets.length === 0) return console;
  const { TeamsNotifier, WebhookNotifier } = await import("@keywarden/remediation");
  const { CliErrorCode, invalidInput } = await import("../errors/cli-error.js");
  const others: Notifier[] = targets.map((target) => {
    const separator = target.indexOf(":");
    const kind = target.slice(0, separator);
    const url = target.slice(separator + 1);
    if (kind === "webhook") return new WebhookNotifier({ url });
    if (kind === "teams") return new TeamsNotifier({ url });
    throw invalidInput(CliErrorCode.Usage, `--notify ${target}: use webhook:<https-url> or teams:<https-url>.`);
  });
  return {
    // Every target must take the task: one that fails fails the step ("not delivered"), and the engine retries it.
    async notify(task, options) {
      await console.notify(task);
      const receipts = [];
      for (const notifier of others) receipts.push(await notifier.notify(task, options));
      return { channel: ["cli", ...receipts.map((receipt) => receipt.channel)].join("+") };
    },
  };
}

/** The remediation executors for this environment, over the real Azure SDK clients. */
export async function createExecutors(env: AzureEnvironment, notifier: Notifier): Promise<ExecutorRegistry> {
  const { alertStateClientFrom, createAzureExecutors, randomValueRotator } = await import("@keywarden/remediation");
  const clientOptions = env.retryOptions === undefined ? {} : { retryOptions: env.retryOptions };
  return createAzureExecutors({
    credential: env.credential,
    clientOptions,
    ...(env.pollIntervalInMs === undefined ? {} : { pollIntervalInMs: env.pollIntervalInMs }),
    notifier,
    // The random-value rotator is the last resort, and only runs for steps whose plan allows it (policy).
    rotators: [randomValueRotator()],
    alerts: alertStateClientFrom(await createAlertsClient(env)),
  });
}
