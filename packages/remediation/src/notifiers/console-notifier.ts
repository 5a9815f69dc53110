import type { NotificationReceipt, NotificationTask, Notifier } from "./notifier.js";

export interface ConsoleNotifierOptions {
  /** `text` for people (default), `json` for one JSON object per line (log shippers, SOAR). */
  format?: "text" | "json";
  /** Where lines go. Default: `process.stdout`. */
  write?: (line: string) => void;
}

/** Prints tasks. With `format: "json"` it is the JSON notifier: one task per line, ready for a log pipeline. */
export class ConsoleNotifier implements Notifier {
  readonly #format: "text" | "json";
  readonly #write: (line: string) => void;

  constructor(options: ConsoleNotifierOptions = {}) {
    this.#format = options.format ?? "text";
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  notify(task: NotificationTask): Promise<NotificationReceipt> {
    if (this.#format === "json") {
      this.#write(JSON.stringify({ type: "keywarden.task", ...task }));
    } else {
      const lines = [
        `[${task.kind}] ${task.subject}`,
        `  to: ${task.recipients.join(", ") || "(unassigned)"}`,
        `  alerts: ${task.alertIds.join(", ")}  plan: ${task.planId}`,
        ...task.message.split("\n").map((line) => `  ${line}`),
        ...Object.entries(task.evidence).map(([key, value]) => `  - ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`),
      ];
      this.#write(lines.join("\n"));
    }
    return Promise.resolve({ channel: this.#format === "json" ? "json" : "console", deliveryId: task.id });
  }
}

/** Keeps tasks in memory (tests, or callers that hand tasks to their own ticketing). Drops duplicates by id. */
export class MemoryNotifier implements Notifier {
  readonly tasks: NotificationTask[] = [];

  notify(task: NotificationTask): Promise<NotificationReceipt> {
    if (!this.tasks.some((existing) => existing.id === task.id)) this.tasks.push(structuredClone(task));
    return Promise.resolve({ channel: "memory", deliveryId: task.id });
  }
}
