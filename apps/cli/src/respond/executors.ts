import type { ExecutorRegistry, NotificationTask, Notifier, NotifyDeliveryPolicy, SecretRotator } from "@keywarden/remediation";

import type { AzureEnvironment } from "../environment/azure-environment.js";
import type { Output } from "../runtime/output.js";
import { createAlertsClient } from "../environment/alerts-client.js";
import { channelFromFlag, type NotifyChannel, type NotifyConfig } from "../input/notify-config.js";

/**
 * Tasks for people (contact the owner, escalate to an administrator): shown on stderr as they are raised, with the
 * evidence (source, findings, objects read, what the response does) and where each recipient came from, every outside
 * value escaped for the terminal; kept for the command's result and the incident report.
 */
export class CliNotifier implements Notifier {
  readonly tasks: NotificationTask[] = [];
  readonly #output: Output;

  constructor(output: Output) {
    this.#output = output;
  }

  async notify(task: NotificationTask): Promise<{ channel: string; deliveryId: string }> {
    if (!this.tasks.some((existing) => existing.id === task.id)) {
      this.tasks.push(structuredClone(task));
      const { taskText } = await import("@keywarden/remediation");
      const [first = "", ...rest] = taskText(task);
      const c = this.#output.errColors;
      this.#output.note([first.replace(`[${task.kind}]`, c.cyan(`[${task.kind}]`)), ...rest].join("\n"));
    }
    return { channel: "cli", deliveryId: task.id };
  }
}

/**
 * The channels `--notify` names (`console`, `webhook:<https-url>`, `teams:<https-url>`, `email:<mailbox>`) after the
 * policy file's `notify.channels`. Checked here, before anything runs: a URL that is not HTTPS is refused.
 */
export async function notifyChannels(flags: readonly string[], policy: NotifyConfig | undefined): Promise<NotifyChannel[]> {
  const { CliErrorCode, invalidInput } = await import("../errors/cli-error.js");
  const fromFlags = flags.map(channelFromFlag);
  const problems = fromFlags.filter((channel): channel is string => typeof channel === "string");
  if (problems.length > 0) throw invalidInput(CliErrorCode.Usage, `${problems.join("\n")}.`);
  return [...(policy?.channels ?? []), ...(fromFlags as NotifyChannel[])].filter((channel) => channel.type !== "console");
}

/**
 * The console notifier plus every channel. Every channel must take the task: one that fails fails the delivery
 * attempt, which is retried per the delivery policy (receivers drop duplicates by task id) and then journaled
 * "not delivered".
 */
export async function createNotifier(console: CliNotifier, channels: readonly NotifyChannel[], env: AzureEnvironment): Promise<Notifier> {
  if (channels.length === 0) return console;
  const { EmailNotifier, GraphClient, TeamsNotifier, WebhookNotifier } = await import("@keywarden/remediation");
  const clientOptions = env.retryOptions === undefined ? {} : { retryOptions: env.retryOptions };
  const others: Notifier[] = channels.map((channel) => {
    switch (channel.type) {
      case "webhook":
        return new WebhookNotifier({ url: channel.url, ...(channel.headers === undefined ? {} : { headers: channel.headers }) });
      case "teams":
        return new TeamsNotifier({ url: channel.url });
      case "email":
        return new EmailNotifier({ mailbox: channel.mailbox, graph: new GraphClient(env.credential, clientOptions) });
      case "console":
        return console;
    }
  });
  return {
    async notify(task, options) {
      await console.notify(task);
      const receipts = [];
      for (const notifier of others) receipts.push(await notifier.notify(task, options));
      return { channel: ["cli", ...receipts.map((receipt) => receipt.channel)].join("+") };
    },
  };
}

/** The remediation executors for this environment, over the real Azure SDK clients. */
export async function createExecutors(env: AzureEnvironment, notifier: Notifier, notifyDelivery?: NotifyDeliveryPolicy, rotators: readonly SecretRotator[] = []): Promise<ExecutorRegistry> {
  const { alertStateClientFrom, createAzureExecutors, randomValueRotator } = await import("@keywarden/remediation");
  const clientOptions = env.retryOptions === undefined ? {} : { retryOptions: env.retryOptions };
  return createAzureExecutors({
    credential: env.credential,
    clientOptions,
    ...(env.pollIntervalInMs === undefined ? {} : { pollIntervalInMs: env.pollIntervalInMs }),
    notifier,
    ...(notifyDelivery === undefined ? {} : { notifyDelivery }),
    // The policy file's rotators first, in order; the random-value rotator is the last resort, and only runs for
    // steps whose plan allows it (policy).
    rotators: [...rotators, randomValueRotator()],
    alerts: alertStateClientFrom(await createAlertsClient(env)),
  });
}
