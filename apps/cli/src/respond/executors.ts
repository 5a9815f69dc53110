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
      this.#output.note(`${c.cyan(`[${task.kind}]`)} ${task.subject}\n  to: ${task.recipients.join(", ") || "(unassigned)"}`);
    }
    return Promise.resolve({ channel: "cli", deliveryId: task.id });
  }
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
