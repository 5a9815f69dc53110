import type { NotificationReceipt, NotificationTask, Notifier } from "./notifier.js";
import { taskText } from "./task-text.js";

export interface ConsoleNotifierOptions {
  /** `text` for people (default), `json` for one JSON object per line (log shippers, SOAR). */
  format?: "text" | "json";
  /** Where lines go. Default: `process.stdout`. */
  write?: (line: string) => void;
}

/**
 * Prints tasks. As text (for people): the subject, each recipient with where it was found, the message, the evidence
 * (source, findings, objects read) and what the response does, every outside value escaped for the terminal. With
 * `format: "json"` it is the JSON notifier: one task per line, ready for a log pipeline. */
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
      this.#write(taskText(task).join("\n"));
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
