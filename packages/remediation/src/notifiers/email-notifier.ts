import { terminalSafe } from "@keywarden/core";
import type { GraphMailMessage } from "../azure/graph-client.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import { RemediationError } from "../errors/remediation-error.js";
import { isMailAddress } from "../recipients/resolve-recipients.js";
import type { NotificationReceipt, NotificationTask, Notifier } from "./notifier.js";
import { taskText } from "./task-text.js";

/** What sends the mail: `GraphClient` (`POST /users/{mailbox}/sendMail`) fits; tests may pass their own. */
export interface MailSender {
  sendMail(mailbox: string, message: GraphMailMessage, options?: { abortSignal?: AbortSignal }): Promise<void>;
}

export interface EmailNotifierOptions {
  /** The mailbox tasks are sent from: a user id or UPN with a mailbox (the app needs Graph `Mail.Send`). */
  mailbox: string;
  /** A Microsoft Graph client (`new GraphClient(credential)`). */
  graph: MailSender;
}

/**
 * E-mails each task to its recipients through Microsoft Graph `sendMail`, as plain text with the evidence (no HTML:
 * nothing from an alert can become markup or a link the mail client renders). A task with no recipient is not
 * delivered (an error, journaled "not delivered"): a mailbox must never guess who to tell.
 */
export class EmailNotifier implements Notifier {
  readonly #mailbox: string;
  readonly #graph: MailSender;

  constructor(options: EmailNotifierOptions) {
    if (options.mailbox.trim() === "") {
      throw new RemediationError(RemediationCodes.notifyConfigInvalid, "The e-mail notifier needs a mailbox to send from: set notify.email.mailbox (a user id or UPN with a mailbox).");
    }
    this.#mailbox = options.mailbox;
    this.#graph = options.graph;
  }

  async notify(task: NotificationTask, options: { abortSignal?: AbortSignal } = {}): Promise<NotificationReceipt> {
    const to = task.recipients.filter(isMailAddress);
    if (to.length === 0) {
      throw new RemediationError(
        RemediationCodes.notifyFailed,
        `Task ${task.id} has no e-mail recipient${task.recipients.length > 0 ? ` (${task.recipients.map((r) => terminalSafe(r, { singleLine: true })).join(", ")} are not addresses)` : ""}: add an owner tag to the vault or configure notify.fallbacks.`,
        { status: 400 },
      );
    }
    await this.#graph.sendMail(
      this.#mailbox,
      { subject: terminalSafe(`[Keywarden] ${task.subject}`, { singleLine: true }), text: `${taskText(task).join("\n")}\n`, to },
      options,
    );
    return { channel: "email", deliveryId: task.id };
  }
}
